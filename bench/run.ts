// `pnpm bench`: runs every suite in bench/suites/ (or the ones named on the command line) and prints
// their tables. A suite is a module whose default export is a {@link BenchSuite}.
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "./suite.js";

const dir = fileURLToPath(new URL("./suites/", import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith(".ts")).sort();
for (const file of files) {
  const suite = ((await import(new URL(`./suites/${file}`, import.meta.url).href)) as { default: BenchSuite })
    .default;
  if (only.length > 0 && !only.includes(suite.name)) continue;
  console.log(`\n## ${suite.name}\n`);
  await suite.run();
}
