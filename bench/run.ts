// Runs every benchmark suite in bench/ and prints their tables. Suites register themselves in suites.ts.
import { suites } from "./suites.js";

const only = process.argv.slice(2);
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  console.log(`\n## ${suite.name}\n`);
  await suite.run();
}
