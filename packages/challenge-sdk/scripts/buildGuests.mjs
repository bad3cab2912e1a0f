// Compiles the SDK's test guests (assembly/test/*.ts) to build/<name>.wasm. They use
// assembly/test/asconfig.json: the options authors inherit from ../asconfig.json, except the abort alias,
// because inside this package the SDK's files are local (`assembly/...`), not
// `~lib/@platform-wasm/challenge-sdk/assembly/...`.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entries = (await readdir(path.join(root, "assembly", "test"))).filter((f) => f.endsWith(".ts")).sort();
for (const file of entries) {
  const name = file.replace(/\.ts$/, "");
  const args = [
    `assembly/test/${file}`,
    "--config",
    "assembly/test/asconfig.json",
    "--outFile",
    `build/${name}.wasm`,
    "--baseDir",
    root,
  ];
  const { error, stderr } = await asc.main(args);
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`asc failed for ${file}: ${error.message}`);
  }
}
