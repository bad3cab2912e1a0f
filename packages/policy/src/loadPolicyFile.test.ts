import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPolicyFileError, PolicyErrorCode } from "./errors.js";
import { loadPolicyFile } from "./loadPolicyFile.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "policy-files-"));
  writeFileSync(join(dir, "a.json"), '{"sandbox": {"allowed_commands": ["cat"]}}');
  writeFileSync(join(dir, "b.yaml"), "sandbox:\n  allowed_commands: [cat]\n");
  writeFileSync(join(dir, "c.YML"), "sandbox:\n  allowed_commands: [cat]\n");
  writeFileSync(join(dir, "bad.yaml"), "sandbox:\n  allowed_commands: [cat, 1]\n");
  writeFileSync(join(dir, "d.toml"), "");
  mkdirSync(join(dir, "folder.json"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadPolicyFile", () => {
  it("picks the format from the extension", async () => {
    for (const name of ["a.json", "b.yaml", "c.YML"]) {
      expect((await loadPolicyFile(join(dir, name))).sandbox.allowedCommands).toEqual(["cat"]);
    }
  });

  it("schema errors carry the file and the field path", async () => {
    const error = await loadPolicyFile(join(dir, "bad.yaml")).catch((e: unknown) => e);
    expect(isPolicyFileError(error)).toBe(true);
    if (!isPolicyFileError(error)) return;
    expect(error.code).toBe(PolicyErrorCode.POLICY_FILE_INVALID);
    expect(error.source).toBe(join(dir, "bad.yaml"));
    expect(error.path).toBe("sandbox.allowed_commands[1]");
  });

  it.each([
    ["unknown extension", "d.toml"],
    ["missing file", "missing.json"],
    ["a directory", "folder.json"],
  ])("%s is POLICY_FILE_UNREADABLE", async (_name, file) => {
    const error = await loadPolicyFile(join(dir, file)).catch((e: unknown) => e);
    expect(isPolicyFileError(error) && error.code).toBe(PolicyErrorCode.POLICY_FILE_UNREADABLE);
  });
});
