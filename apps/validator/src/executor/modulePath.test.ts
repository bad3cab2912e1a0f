import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkModuleName, resolveConfinedModule } from "./modulePath.js";

let root: string;
let dir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "validator-modpath-"));
  dir = path.join(root, "modules");
  await mkdir(path.join(dir, "nested"), { recursive: true });
  await writeFile(path.join(dir, "ok.wasm"), "x");
  await writeFile(path.join(dir, "nested", "deep.wasm"), "x");
  await writeFile(path.join(root, "secret.wasm"), "x");
  await symlink(path.join(root, "secret.wasm"), path.join(dir, "escape.wasm"));
  await symlink(path.join(dir, "ok.wasm"), path.join(dir, "alias.wasm"));
  await symlink(root, path.join(dir, "up"));
  await mkdir(path.join(dir, "folder.wasm"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "resolved",
    (error: { code: string }) => error.code,
  );
}

describe("checkModuleName", () => {
  it.each([
    ["", /empty/],
    ["/etc/passwd.wasm", /absolute/],
    ["../secret.wasm", /relative path/],
    ["a/../../secret.wasm", /relative path/],
    ["./ok.wasm", /relative path/],
    ["a//b.wasm", /relative path/],
    ["a\\..\\b.wasm", /backslash/],
    ["ok\u0000.wasm", /control/],
    ["ok.txt", /\.wasm/],
    ["x".repeat(300), /longer than/],
  ])("refuses %j", (name, why) => {
    expect(() => checkModuleName(name)).toThrow(why);
  });

  it("accepts plain relative names", () => {
    expect(checkModuleName("nested/deep.wasm")).toEqual(["nested", "deep.wasm"]);
  });
});

describe("resolveConfinedModule", () => {
  it("resolves names inside the directory, following symlinks that stay inside", async () => {
    await expect(resolveConfinedModule(dir, "ok.wasm")).resolves.toMatch(/modules\/ok\.wasm$/);
    await expect(resolveConfinedModule(dir, "nested/deep.wasm")).resolves.toMatch(/nested\/deep\.wasm$/);
    await expect(resolveConfinedModule(dir, "alias.wasm")).resolves.toMatch(/modules\/ok\.wasm$/);
  });

  it("refuses traversal, symlinks out and directory symlinks out", async () => {
    expect(await code(resolveConfinedModule(dir, "../secret.wasm"))).toBe("MODULE_NAME_INVALID");
    expect(await code(resolveConfinedModule(dir, "escape.wasm"))).toBe("MODULE_NAME_INVALID");
    expect(await code(resolveConfinedModule(dir, "up/secret.wasm"))).toBe("MODULE_NAME_INVALID");
    expect(await code(resolveConfinedModule(dir, path.join(root, "secret.wasm")))).toBe(
      "MODULE_NAME_INVALID",
    );
  });

  it("reports missing modules and non-files as MODULE_NOT_FOUND", async () => {
    expect(await code(resolveConfinedModule(dir, "absent.wasm"))).toBe("MODULE_NOT_FOUND");
    expect(await code(resolveConfinedModule(dir, "folder.wasm"))).toBe("MODULE_NOT_FOUND");
  });
});
