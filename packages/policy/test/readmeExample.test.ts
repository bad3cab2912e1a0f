import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

describe("README example", () => {
  it("is the file test/readmeExample.ts, verbatim", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const example = readFileSync(join(import.meta.dirname, "readmeExample.ts"), "utf8");
    expect(readme).toContain(example.trim());
  });

  it("runs and prints the documented decisions", async () => {
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import("./readmeExample.js");
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((l) => l[0])).toEqual([
      expect.objectContaining({ allowed: expect.any(Boolean) }),
      expect.objectContaining({ allowed: false, error: { CommandNotAllowed: "sh" } }),
      expect.objectContaining({ allowed: false, error: { PolicyViolation: expect.any(String) } }),
      true,
      false,
      false,
      expect.objectContaining({ allowed: false }),
      "private",
    ]);
  });
});
