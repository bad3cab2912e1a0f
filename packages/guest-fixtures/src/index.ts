import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Directory holding the compiled fixture modules (`<name>.wasm`). */
export const fixtureDir: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "dist",
  "wasm",
);

/**
 * Absolute path of a compiled WAT fixture.
 * @param name - the fixture's file name without extension (`wat/<name>.wat`).
 * @returns the path of `dist/wasm/<name>.wasm` (built by `pnpm build`).
 */
export function fixturePath(name: string): string {
  return path.join(fixtureDir, `${name}.wasm`);
}

/**
 * Bytes of a compiled WAT fixture.
 * @param name - the fixture's file name without extension.
 * @returns the module's bytes.
 */
export function loadFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}
