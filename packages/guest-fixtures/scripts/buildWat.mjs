// Compiles every wat/*.wat fixture to dist/wasm/<name>.wasm with wabt (the npm build, no system tools).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import initWabt from "wabt";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watDir = path.join(root, "wat");
const outDir = path.join(root, "dist", "wasm");
const wabt = await initWabt();
await mkdir(outDir, { recursive: true });
const features = {
  multi_value: true,
  bulk_memory: true,
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  reference_types: true,
  threads: true,
  memory64: true,
  multi_memory: true,
  tail_call: true,
  simd: true,
  exceptions: true,
};
for (const file of (await readdir(watDir)).filter((f) => f.endsWith(".wat")).sort()) {
  const source = await readFile(path.join(watDir, file), "utf8");
  const parsed = wabt.parseWat(file, source, features);
  parsed.resolveNames();
  // Some fixtures are deliberately invalid modules (e.g. for compile-error tests): skip validation for `invalid-*`.
  if (!file.startsWith("invalid-")) parsed.validate();
  const { buffer } = parsed.toBinary({ log: false });
  await writeFile(path.join(outDir, file.replace(/\.wat$/, ".wasm")), buffer);
  parsed.destroy();
}
