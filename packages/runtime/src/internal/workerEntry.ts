// Where the worker thread's JavaScript lives. Workers are loaded by Node itself, so they must run from
// the compiled dist/ files even when this module is loaded from src/ (vitest's source condition).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RuntimeError, RuntimeErrorCode } from "../errors.js";

/**
 * URL of dist/internal/worker.js: beside this file when running from dist, else the package's dist/ file
 * (when this module is TypeScript from src/).
 * @throws RuntimeError `RUNTIME_FAILURE` when the file is missing (build the package first).
 */
export function workerEntryUrl(): URL {
  const here = import.meta.url;
  const url = /\.[cm]?ts$/.test(here)
    ? new URL("../../dist/internal/worker.js", here)
    : new URL("./worker.js", here);
  if (!existsSync(fileURLToPath(url))) {
    throw new RuntimeError(
      RuntimeErrorCode.RUNTIME_FAILURE,
      `worker entry ${fileURLToPath(url)} is missing; build @platform-wasm/runtime first (pnpm --filter @platform-wasm/runtime build)`,
    );
  }
  return url;
}
