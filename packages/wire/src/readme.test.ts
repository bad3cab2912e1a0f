// Runs the README's example against the package source and checks each `console.log` prints what the
// comment beside it says.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { format } from "node:util";
import { afterAll, expect, it, vi } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(path.join(here, "..", "README.md"), "utf8");
const dir = mkdtempSync(path.join(tmpdir(), "wire-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("the README example runs and prints what its comments say", async () => {
  const block = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const source = block!.replace(
    /from "@platform-wasm\/wire";/,
    `from ${JSON.stringify(pathToFileURL(path.join(here, "index.ts")).href)};`,
  );
  const expected = [...block!.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBe(3);
  const file = path.join(dir, "example.mjs");
  writeFileSync(file, source);
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(format(...args));
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
  }
  expect(lines).toEqual(expected);
});
