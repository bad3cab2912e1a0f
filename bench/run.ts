// `pnpm bench [suite …]`: runs every suite in bench/suites/ (or only the ones named) and prints their
// tables. A suite is `bench/suites/<name>.ts` whose default export is a {@link BenchSuite} named `<name>`;
// only the named files are imported, so one suite's dependencies never break another's run.
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "./suite.js";

const dir = fileURLToPath(new URL("./suites/", import.meta.url));
const only = process.argv.slice(2);
const names = (await readdir(dir))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort()
  .filter((name) => only.length === 0 || only.includes(name));
for (const name of names) {
  const suite = (
    (await import(new URL(`./suites/${name}.ts`, import.meta.url).href)) as { default: BenchSuite }
  ).default;
  console.log(`\n## ${suite.name}\n`);
  await suite.run();
}
