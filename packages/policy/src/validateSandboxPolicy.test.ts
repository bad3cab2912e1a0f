import { join } from "node:path";
import type { SandboxExecRequest } from "@platform-wasm/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSandboxTree, type SandboxTree } from "../test/sandboxTree.js";
import { isPolicyError, PolicyErrorCode } from "./errors.js";
import { defaultSandboxPolicy, type SandboxPolicy } from "./sandboxPolicy.js";
import { validateSandboxPolicy } from "./validateSandboxPolicy.js";

let tree: SandboxTree;
beforeAll(() => {
  tree = makeSandboxTree();
});
afterAll(() => tree.cleanup());

function policy(overrides: Partial<SandboxPolicy>): SandboxPolicy {
  return { ...defaultSandboxPolicy(), searchPath: [tree.bin], workingDirectory: tree.jail, ...overrides };
}

function sandbox(overrides: Partial<SandboxPolicy>) {
  return validateSandboxPolicy(policy(overrides));
}

function request(overrides: Partial<SandboxExecRequest>): SandboxExecRequest {
  return { command: "ls", args: [], env: {}, stdin: undefined, working_directory: undefined, ...overrides };
}

describe("reference SandboxPolicy cases", () => {
  it("empty allow-list: ls and cat are refused (reference allowed them)", () => {
    const s = sandbox({ allowedCommands: [] });
    expect(s.resolveCommand("ls").allowed).toBe(false);
    expect(s.resolveCommand("cat").allowed).toBe(false);
  });

  it("allow-list [ls, cat]: ls and cat allowed, rm refused", () => {
    const s = sandbox({ allowedCommands: ["ls", "cat"] });
    expect(s.resolveCommand("ls")).toEqual({ allowed: true, value: join(tree.bin, "ls") });
    expect(s.resolveCommand("cat")).toEqual({ allowed: true, value: join(tree.bin, "cat") });
    expect(s.resolveCommand("rm")).toMatchObject({ allowed: false, error: { CommandNotAllowed: "rm" } });
  });

  it("block-list [rm, dd]: rm and dd refused, ls not refused by the block list", () => {
    const s = sandbox({ allowedCommands: ["ls", "rm", "dd"], blockedCommands: ["rm", "dd"] });
    for (const command of ["rm", "dd"]) {
      const d = s.resolveCommand(command);
      expect(d).toMatchObject({ allowed: false, error: { CommandNotAllowed: command } });
      if (!d.allowed) expect(d.reason).toContain("blockedCommands");
    }
    expect(s.resolveCommand("ls").allowed).toBe(true);
  });

  it("block-list [rm] refuses an absolute path to rm (basename match)", () => {
    const s = sandbox({ allowedCommands: [join(tree.bin, "rm")], blockedCommands: ["rm"] });
    const d = s.resolveCommand(join(tree.bin, "rm"));
    expect(d).toMatchObject({ allowed: false, error: { CommandNotAllowed: join(tree.bin, "rm") } });
  });

  it("allow-list [ls] allows an absolute path to ls and refuses one to cat", () => {
    const s = sandbox({ allowedCommands: ["ls"] });
    expect(s.resolveCommand(join(tree.bin, "ls"))).toEqual({ allowed: true, value: join(tree.bin, "ls") });
    expect(s.resolveCommand(join(tree.bin, "cat")).allowed).toBe(false);
  });

  it("the same name in both lists is refused (block wins) and validation warns", () => {
    const s = sandbox({ allowedCommands: ["ls"], blockedCommands: ["ls"] });
    expect(s.resolveCommand("ls").allowed).toBe(false);
    expect(s.warnings.some((w) => w.includes("block list wins"))).toBe(true);
  });

  it("a blocked `rm -rf /` request is CommandNotAllowed and nothing is approved", () => {
    const s = sandbox({ allowedCommands: ["ls"], blockedCommands: ["rm"] });
    const d = s.checkExecRequest(request({ command: "rm", args: ["-rf", "/"] }));
    expect(d).toMatchObject({ allowed: false, error: { CommandNotAllowed: "rm" } });
  });
});

describe("command resolution refusals", () => {
  const cases: [string, (t: SandboxTree) => string, string[], object][] = [
    ["empty name", () => "", ["ls"], { InvalidRequest: "command is empty" }],
    ["NUL byte", () => "ls\0", ["ls"], { InvalidRequest: "command contains a NUL byte" }],
    [
      "overlong name",
      () => "a".repeat(5000),
      ["ls"],
      { InvalidRequest: "command is longer than 4096 characters" },
    ],
    ["relative path ./ls", () => "./ls", ["ls"], { CommandNotAllowed: "./ls" }],
    ["relative path bin/ls", () => "bin/ls", ["ls"], { CommandNotAllowed: "bin/ls" }],
    ["relative path ../ls", () => "../ls", ["ls"], { CommandNotAllowed: "../ls" }],
    ["not on the search path", () => "ghost", ["ghost"], { CommandNotAllowed: "ghost" }],
    ["not executable", () => "notexec", ["notexec"], { CommandNotAllowed: "notexec" }],
    ["a directory", (t) => join(t.bin, "adir"), ["adir"], { CommandNotAllowed: "" }],
    ["a dangling symlink", () => "dangling", ["dangling"], { CommandNotAllowed: "dangling" }],
    ["dot", () => ".", ["ls"], { CommandNotAllowed: "." }],
    ["dot-dot", () => "..", ["ls"], { CommandNotAllowed: ".." }],
  ];
  it.each(cases)("%s is refused", (_name, make, allowed, error) => {
    const s = validateSandboxPolicy({
      ...defaultSandboxPolicy(),
      searchPath: [tree.bin],
      workingDirectory: tree.jail,
      allowedCommands: allowed,
    });
    const command = make(tree);
    const d = s.resolveCommand(command);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    const [variant] = Object.keys(error);
    expect(typeof d.error === "object" && variant !== undefined && variant in d.error).toBe(true);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it("a bare name is found on the policy's search path only, never the guest's PATH", () => {
    const s = sandbox({ allowedCommands: ["ls"] });
    const d = s.checkExecRequest(request({ command: "ls", env: { PATH: tree.copies } }));
    expect(d).toMatchObject({ allowed: true, value: { executable: join(tree.bin, "ls") } });
  });

  it("the first search-path directory holding the name wins", () => {
    const s = sandbox({ allowedCommands: ["ls"], searchPath: [tree.copies, tree.bin] });
    expect(s.resolveCommand("ls")).toEqual({ allowed: true, value: join(tree.copies, "ls") });
  });
});

describe("judging the resolved target (symlinks, hard links, ..)", () => {
  it("`<bin>/../bin/rm` is judged by its target (blocked) and `<bin>/../bin/ls` allowed", () => {
    const s = sandbox({ allowedCommands: ["ls", "rm"], blockedCommands: ["rm"] });
    expect(s.resolveCommand(join(tree.bin, "..", "bin", "rm")).allowed).toBe(false);
    expect(s.resolveCommand(`${tree.bin}/../bin/ls`)).toEqual({ allowed: true, value: join(tree.bin, "ls") });
  });

  it("a symlink named like an allowed command but pointing at a blocked binary is refused", () => {
    const s = sandbox({ allowedCommands: ["ls"], blockedCommands: ["rm"] });
    const d = s.resolveCommand(join(tree.trap, "ls"));
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("blocked");
  });

  it("a symlink named like an allowed command is refused even without a block list", () => {
    const s = sandbox({ allowedCommands: ["ls"] });
    expect(s.resolveCommand(join(tree.trap, "ls")).allowed).toBe(false);
  });

  it("a copy named like an allowed command elsewhere is not the allowed command", () => {
    const s = sandbox({ allowedCommands: ["ls"] });
    const d = s.resolveCommand(join(tree.copies, "ls"));
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("does not allow");
  });

  it("a symlink to a blocked binary under another name is blocked (del → rm)", () => {
    const s = sandbox({ allowedCommands: ["del"], blockedCommands: ["rm"] });
    expect(s.resolveCommand("del").allowed).toBe(false);
    const byPath = sandbox({ allowedCommands: ["del"], blockedCommands: [join(tree.bin, "rm")] });
    expect(byPath.resolveCommand(join(tree.bin, "del")).allowed).toBe(false);
  });

  it("a hard link to a blocked binary is blocked (same device and inode)", () => {
    const s = sandbox({ allowedCommands: [join(tree.hard, "cat")], blockedCommands: ["rm"] });
    const d = s.resolveCommand(join(tree.hard, "cat"));
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("blocked");
  });

  it("merged-/usr layouts: a path through a directory symlink resolves to the real file", () => {
    const s = sandbox({ allowedCommands: ["ls"], searchPath: [tree.binLink] });
    expect(s.resolveCommand("ls")).toEqual({ allowed: true, value: join(tree.usrBin, "ls") });
    expect(s.resolveCommand(join(tree.binLink, "ls"))).toEqual({
      allowed: true,
      value: join(tree.usrBin, "ls"),
    });
    expect(s.resolveCommand(join(tree.usrBin, "ls"))).toEqual({
      allowed: true,
      value: join(tree.usrBin, "ls"),
    });
    const byPath = sandbox({
      allowedCommands: [join(tree.binLink, "ls"), join(tree.usrBin, "rm")],
      blockedCommands: [join(tree.binLink, "rm")],
      searchPath: [tree.binLink],
    });
    expect(byPath.resolveCommand("ls")).toEqual({ allowed: true, value: join(tree.usrBin, "ls") });
    expect(byPath.resolveCommand(join(tree.usrBin, "rm")).allowed).toBe(false);
  });

  it("multi-call binaries: allowing `ls` does not allow `sh` although both are the same file", () => {
    const s = sandbox({ allowedCommands: ["ls"], searchPath: [tree.multi] });
    expect(s.resolveCommand("ls")).toEqual({ allowed: true, value: join(tree.multi, "multi") });
    expect(s.resolveCommand("sh").allowed).toBe(false);
    expect(s.resolveCommand(join(tree.multi, "sh")).allowed).toBe(false);
  });

  it("multi-call binaries: blocking `sh` blocks every name of that file (block list wins)", () => {
    const s = sandbox({ allowedCommands: ["ls"], blockedCommands: ["sh"], searchPath: [tree.multi] });
    expect(s.resolveCommand("ls").allowed).toBe(false);
  });

  it("a blocked name is refused even if it does not exist on this host", () => {
    const s = sandbox({ allowedCommands: ["ls"], blockedCommands: ["nuke"] });
    const d = s.resolveCommand("nuke");
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("blocked");
  });
});

describe("working directory jail", () => {
  const ok = (s: ReturnType<typeof sandbox>, requested: string | undefined, expected: string) =>
    expect(s.resolveWorkingDirectory(requested)).toEqual({ allowed: true, value: expected });
  const violation = (s: ReturnType<typeof sandbox>, requested: string) => {
    const d = s.resolveWorkingDirectory(requested);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(Object.keys(d.error as object)).toEqual(["PolicyViolation"]);
  };

  it("defaults to the jail root and accepts directories inside it", () => {
    const s = sandbox({});
    ok(s, undefined, tree.jail);
    ok(s, ".", tree.jail);
    ok(s, "sub", join(tree.jail, "sub"));
    ok(s, "sub/deeper/", join(tree.jail, "sub", "deeper"));
    ok(s, join(tree.jail, "sub"), join(tree.jail, "sub"));
    ok(s, "linkIn", join(tree.jail, "sub"));
    ok(s, "..dots", join(tree.jail, "..dots"));
  });

  it.each([
    ["..", "parent"],
    ["../outside", "parent then sideways"],
    ["sub/../../outside", "dot-dot in the middle"],
    ["sub/..", "dot-dot that would stay inside (refused outright)"],
  ])("refuses %s (%s)", (requested) => violation(sandbox({}), requested));

  it("refuses absolute paths elsewhere", () => {
    const s = sandbox({});
    violation(s, tree.outside);
    violation(s, "/");
    violation(s, "/etc");
  });

  it("refuses symlink escapes", () => {
    const s = sandbox({});
    violation(s, "linkOut");
    violation(s, "linkUp");
    violation(s, "sub/etc");
  });

  it("refuses files and missing paths with the same guest-facing message", () => {
    const s = sandbox({});
    const file = s.resolveWorkingDirectory("file");
    const missing = s.resolveWorkingDirectory("missing");
    const outside = s.resolveWorkingDirectory(tree.outside);
    for (const d of [file, missing, outside]) expect(d.allowed).toBe(false);
    if (!file.allowed && !missing.allowed && !outside.allowed) {
      expect(file.error).toEqual(missing.error);
      expect(missing.error).toEqual(outside.error);
    }
  });

  it("malformed values are InvalidRequest", () => {
    const s = sandbox({});
    expect(s.resolveWorkingDirectory("")).toMatchObject({
      allowed: false,
      error: { InvalidRequest: expect.any(String) },
    });
    expect(s.resolveWorkingDirectory("sub\0")).toMatchObject({
      allowed: false,
      error: { InvalidRequest: expect.any(String) },
    });
    expect(s.resolveWorkingDirectory("a".repeat(5000))).toMatchObject({
      allowed: false,
      error: { InvalidRequest: expect.any(String) },
    });
  });

  it("a jail root that is itself a symlink is canonicalized first", () => {
    const s = sandbox({ workingDirectory: tree.jailLink });
    ok(s, undefined, tree.jail);
    ok(s, "sub", join(tree.jail, "sub"));
    ok(s, join(tree.jailLink, "sub"), join(tree.jail, "sub"));
    violation(s, "linkOut");
  });

  it("a missing jail root fails closed with ExecutionFailed", () => {
    const s = sandbox({ workingDirectory: join(tree.root, "no-such-jail") });
    expect(s.resolveWorkingDirectory(undefined)).toMatchObject({
      allowed: false,
      error: { ExecutionFailed: expect.any(String) },
    });
  });
});

describe("environment", () => {
  it("an empty whitelist passes nothing (reference passed everything)", () => {
    expect(sandbox({}).filterEnvironment({ HOME: "/h", LANG: "C", PATH: "/x" })).toEqual({});
  });

  it("only whitelisted keys pass; PATH never comes from the guest", () => {
    const s = sandbox({ environmentWhitelist: ["LANG", "PATH"] });
    expect(s.filterEnvironment({ LANG: "C", HOME: "/h", PATH: "/guest" })).toEqual({ LANG: "C" });
  });

  it("drops malformed entries (NUL in values, '=' in names, non-strings)", () => {
    const s = sandbox({ environmentWhitelist: ["A", "B", "C"] });
    const env = { A: "ok", B: "bad\0value", C: 7 } as unknown as Record<string, string>;
    expect(s.filterEnvironment(env)).toEqual({ A: "ok" });
  });

  it("a whitelisted __proto__ stays plain data", () => {
    const s = sandbox({ environmentWhitelist: ["__proto__"] });
    const env = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    const out = s.filterEnvironment(env);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });

  it("a hostile object passes nothing instead of throwing", () => {
    const s = sandbox({ environmentWhitelist: ["A"] });
    const env = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("boom");
        },
      },
    ) as Record<string, string>;
    expect(s.filterEnvironment(env)).toEqual({});
  });

  it("checkExecRequest sets PATH to the policy's search path only when PATH is whitelisted", () => {
    const withPath = sandbox({ allowedCommands: ["ls"], environmentWhitelist: ["PATH", "LANG"] });
    expect(withPath.checkExecRequest(request({ env: { PATH: "/guest", LANG: "C" } }))).toMatchObject({
      allowed: true,
      value: { env: { LANG: "C", PATH: tree.bin } },
    });
    const withoutPath = sandbox({ allowedCommands: ["ls"], environmentWhitelist: ["LANG"] });
    const d = withoutPath.checkExecRequest(request({ env: { PATH: "/guest", LANG: "C" } }));
    expect(d.allowed && d.value.env).toEqual({ LANG: "C" });
  });
});

describe("checkExecRequest refusals", () => {
  const base: Partial<SandboxPolicy> = {
    allowedCommands: ["ls"],
    maxArgs: 3,
    maxArgBytes: 10,
    maxStdinBytes: 4,
  };
  const table: [string, Partial<SandboxPolicy>, unknown, string][] = [
    ["sandbox disabled", { enabled: false }, request({}), "SandboxDisabled"],
    ["too many args", {}, request({ args: ["a", "b", "c", "d"] }), "LimitExceeded"],
    ["arg bytes over the cap", {}, request({ args: ["12345", "123456"] }), "LimitExceeded"],
    ["multi-byte args counted in UTF-8 bytes", {}, request({ args: ["ééééé", "é"] }), "LimitExceeded"],
    ["NUL in an arg", {}, request({ args: ["a\0"] }), "InvalidRequest"],
    ["non-string arg", {}, request({ args: [1 as unknown as string] }), "InvalidRequest"],
    ["args not a list", {}, request({ args: "ls" as unknown as string[] }), "InvalidRequest"],
    ["stdin over the cap", {}, request({ stdin: new Uint8Array(5) }), "LimitExceeded"],
    ["stdin not bytes", {}, request({ stdin: "abc" as unknown as Uint8Array }), "InvalidRequest"],
    ["blocked command", { blockedCommands: ["ls"] }, request({}), "CommandNotAllowed"],
    ["command not allowed", {}, request({ command: "cat" }), "CommandNotAllowed"],
    ["command not a string", {}, request({ command: 5 as unknown as string }), "InvalidRequest"],
    ["working directory outside", {}, request({ working_directory: "/etc" }), "PolicyViolation"],
    ["request not a map", {}, null, "InvalidRequest"],
  ];
  it.each(table)("%s", (_name, overrides, req, variant) => {
    const d = sandbox({ ...base, ...overrides }).checkExecRequest(req as SandboxExecRequest);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(typeof d.error === "string" ? d.error : Object.keys(d.error)[0]).toBe(variant);
  });

  it("limits are inclusive: exactly maxArgs, maxArgBytes and maxStdinBytes pass", () => {
    const d = sandbox(base).checkExecRequest(
      request({ args: ["12345", "1234", "1"], stdin: new Uint8Array(4), working_directory: "sub" }),
    );
    expect(d).toEqual({
      allowed: true,
      value: {
        executable: join(tree.bin, "ls"),
        args: ["12345", "1234", "1"],
        env: {},
        cwd: join(tree.jail, "sub"),
        stdin: new Uint8Array(4),
      },
    });
  });

  it("the approved args are a copy, not the guest's array", () => {
    const args = ["a"];
    const d = sandbox(base).checkExecRequest(request({ args }));
    args.push("b");
    expect(d.allowed && d.value.args).toEqual(["a"]);
  });

  it("execution budget: maxExecutions reached or 0 is LimitExceeded", () => {
    const s = sandbox({ maxExecutions: 2 });
    expect(s.checkExecutionBudget(0)).toEqual({ allowed: true, value: 1 });
    expect(s.checkExecutionBudget(1)).toEqual({ allowed: true, value: 0 });
    expect(s.checkExecutionBudget(2)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: expect.any(String) },
    });
    expect(sandbox({ maxExecutions: 0 }).checkExecutionBudget(0)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: "sandbox executions disabled" },
    });
  });
});

describe("validateSandboxPolicy errors name the field", () => {
  const table: [string, Partial<SandboxPolicy>, string][] = [
    ["enabled", { enabled: "yes" as unknown as boolean }, "enabled"],
    ["empty allowed entry", { allowedCommands: ["ls", ""] }, "allowedCommands[1]"],
    ["relative allowed entry", { allowedCommands: ["bin/ls"] }, "allowedCommands[0]"],
    ["NUL in blocked entry", { blockedCommands: ["r\0m"] }, "blockedCommands[0]"],
    ["whitespace entry", { allowedCommands: [" ls"] }, "allowedCommands[0]"],
    ["dot-dot entry", { allowedCommands: [".."] }, "allowedCommands[0]"],
    ["non-string entry", { allowedCommands: [3 as unknown as string] }, "allowedCommands[0]"],
    ["zero timeout", { maxExecutionTimeMs: 0 }, "maxExecutionTimeMs"],
    ["huge timeout", { maxExecutionTimeMs: 2 ** 31 }, "maxExecutionTimeMs"],
    ["fractional output cap", { maxOutputBytes: 1.5 }, "maxOutputBytes"],
    ["negative stdin cap", { maxStdinBytes: -1 }, "maxStdinBytes"],
    ["NaN executions", { maxExecutions: Number.NaN }, "maxExecutions"],
    ["negative args", { maxArgs: -1 }, "maxArgs"],
    ["infinite arg bytes", { maxArgBytes: Number.POSITIVE_INFINITY }, "maxArgBytes"],
    ["relative jail", { workingDirectory: "tmp" }, "workingDirectory"],
    ["empty jail", { workingDirectory: "" }, "workingDirectory"],
    ["env name with =", { environmentWhitelist: ["A=B"] }, "environmentWhitelist[0]"],
    ["relative search dir", { searchPath: ["/bin", "bin"] }, "searchPath[1]"],
    ["search dir with colon", { searchPath: ["/a:b"] }, "searchPath[0]"],
    ["allowNetwork", { allowNetwork: 1 as unknown as boolean }, "allowNetwork"],
    ["requireIsolation", { requireIsolation: undefined as unknown as boolean }, "requireIsolation"],
  ];
  it.each(table)("%s", (_name, overrides, field) => {
    let caught: unknown;
    try {
      validateSandboxPolicy({ ...defaultSandboxPolicy(), ...overrides });
    } catch (error) {
      caught = error;
    }
    expect(isPolicyError(caught)).toBe(true);
    if (!isPolicyError(caught)) return;
    expect(caught.code).toBe(PolicyErrorCode.POLICY_INVALID);
    expect(caught.field).toBe(field);
    expect(caught.message.startsWith(`${field}: `)).toBe(true);
  });

  it("a non-object policy is refused", () => {
    expect(() => validateSandboxPolicy(null as unknown as SandboxPolicy)).toThrow(/must be an object/);
  });

  it("the validated policy is a frozen copy", () => {
    const input = policy({ allowedCommands: ["ls"] });
    const s = validateSandboxPolicy(input);
    input.allowedCommands.push("rm");
    expect(s.policy.allowedCommands).toEqual(["ls"]);
    expect(Object.isFrozen(s.policy)).toBe(true);
    expect(Object.isFrozen(s.policy.allowedCommands)).toBe(true);
  });
});

describe("escape-hatch warnings", () => {
  it.each([
    "sh",
    "bash",
    "dash",
    "zsh",
    "env",
    "xargs",
    "find",
    "python3",
    "python3.12",
    "perl",
    "node",
    "ruby",
    "busybox",
    "nice",
    "timeout",
    "nohup",
    "setsid",
    "sudo",
    "su",
    "awk",
    "/usr/bin/env",
  ])("warns about %s", (command) => {
    const s = sandbox({ allowedCommands: [command] });
    expect(s.warnings.some((w) => w.includes(JSON.stringify(command)) && w.includes("moot"))).toBe(true);
  });

  it.each(["cat", "ls", "wc", "sha256sum"])("does not warn about %s", (command) => {
    expect(sandbox({ allowedCommands: [command] }).warnings).toEqual([]);
  });

  it("warns about code-injecting environment variables, network and isolation opt-outs", () => {
    const s = sandbox({
      environmentWhitelist: ["LD_PRELOAD", "BASH_ENV", "LANG"],
      allowNetwork: true,
      requireIsolation: false,
    });
    expect(s.warnings.filter((w) => w.startsWith("environmentWhitelist"))).toHaveLength(2);
    expect(s.warnings.some((w) => w.startsWith("allowNetwork"))).toBe(true);
    expect(s.warnings.some((w) => w.startsWith("requireIsolation"))).toBe(true);
  });
});
