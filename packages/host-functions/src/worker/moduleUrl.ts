import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HostFunctionsError, HostFunctionsErrorCode } from "../errors.js";

/**
 * URL of a compiled worker-side module (`dist/worker/<name>.js`).
 *
 * Worker threads load these files with Node directly, so they must be JavaScript. When this code itself
 * runs from `src/` (vitest resolves workspace packages to source through the `@platform-wasm/source`
 * condition), the URL still points at the built file in `dist/`: run the package build first.
 *
 * @throws HostFunctionsError `WORKER_MODULE_MISSING` when the file does not exist.
 */
export function workerModuleUrl(name: string): string {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = fromSource
    ? new URL(`../../dist/worker/${name}.js`, import.meta.url)
    : new URL(`./${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new HostFunctionsError(
      HostFunctionsErrorCode.WORKER_MODULE_MISSING,
      `worker module ${fileURLToPath(url)} is missing; build @platform-wasm/host-functions first`,
    );
  }
  return url.href;
}
