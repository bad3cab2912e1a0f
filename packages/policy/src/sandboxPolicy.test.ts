import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEARCH_PATH,
  defaultSandboxPolicy,
  developmentSandboxPolicy,
  permissiveSandboxPolicy,
} from "./sandboxPolicy.js";
import { validateSandboxPolicy } from "./validateSandboxPolicy.js";

describe("sandbox presets", () => {
  it("default keeps the reference's limits (30 s, 1 MiB, no network, /tmp, empty env whitelist)", () => {
    const p = defaultSandboxPolicy();
    expect(p.allowedCommands).toEqual([]);
    expect(p.blockedCommands).toEqual([]);
    expect(p.maxExecutionTimeMs).toBe(30_000);
    expect(p.maxOutputBytes).toBe(1024 * 1024);
    expect(p.allowNetwork).toBe(false);
    expect(p.workingDirectory).toBe("/tmp");
    expect(p.environmentWhitelist).toEqual([]);
    expect(p.requireIsolation).toBe(true);
    expect(p.searchPath).toEqual([...DEFAULT_SEARCH_PATH]);
  });

  it("default refuses every command (ours; the reference allowed all with an empty allow-list)", () => {
    const sandbox = validateSandboxPolicy(defaultSandboxPolicy());
    for (const command of ["ls", "cat", "/bin/ls", "sh"]) {
      const decision = sandbox.resolveCommand(command);
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) expect(decision.error).toEqual({ CommandNotAllowed: command });
    }
    expect(sandbox.warnings).toEqual([]);
  });

  it("permissive keeps the reference's limits and env whitelist, and says what it opens", () => {
    const p = permissiveSandboxPolicy();
    expect(p.maxExecutionTimeMs).toBe(60_000);
    expect(p.maxOutputBytes).toBe(10 * 1024 * 1024);
    expect(p.environmentWhitelist).toEqual(["PATH", "HOME", "USER", "LANG", "TERM"]);
    expect(p.environmentWhitelist.length).toBeGreaterThan(0);
    expect(p.allowNetwork).toBe(false);
    const validated = validateSandboxPolicy(p);
    expect(validated.warnings.some((w) => w.includes('"sh"') && w.includes("moot"))).toBe(true);
    expect(validated.warnings.some((w) => w.includes('"python3"'))).toBe(true);
  });

  it("permissive whitelists PATH but the child's PATH is the policy's search path, not the guest's", () => {
    const sandbox = validateSandboxPolicy({ ...permissiveSandboxPolicy(), allowedCommands: [] });
    expect(sandbox.filterEnvironment({ PATH: "/guest/bin", HOME: "/h" })).toEqual({ HOME: "/h" });
  });

  it("development opens only non-launcher utilities and opts out of mandatory isolation (with a warning)", () => {
    const p = developmentSandboxPolicy();
    expect(p.allowedCommands).toContain("cat");
    expect(p.allowedCommands).not.toContain("sh");
    expect(p.requireIsolation).toBe(false);
    const validated = validateSandboxPolicy(p);
    expect(validated.warnings.filter((w) => w.includes("moot"))).toEqual([]);
    expect(validated.warnings.some((w) => w.startsWith("requireIsolation"))).toBe(true);
  });

  it("presets are fresh objects each call", () => {
    const a = defaultSandboxPolicy();
    a.allowedCommands.push("rm");
    expect(defaultSandboxPolicy().allowedCommands).toEqual([]);
  });
});
