import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defaultSandboxPolicy, validateSandboxPolicy } from "@platform-wasm/policy";
import { describe, expect, it } from "vitest";
import { isHostFunctionsError } from "../../src/errors.js";
import { SandboxHostFunctions } from "../../src/sandbox/sandboxHostFunctions.js";
import { createGetTimestamp } from "../../src/worker/getTimestamp.js";
import { ok, sandbox, text } from "./support/harness.js";

const noContext = { readMemory: () => undefined, post: () => undefined };

describe("SandboxHostFunctions declarations", () => {
  it("declares platform_sandbox with sandbox_exec, get_timestamp and log_message", () => {
    const registrar = new SandboxHostFunctions({ policy: defaultSandboxPolicy() });
    expect(registrar.namespace).toBe("platform_sandbox");
    expect(registrar.imports.map((i) => [i.name, i.kind])).toEqual([
      ["sandbox_exec", "request"],
      ["get_timestamp", "worker"],
      ["log_message", "worker"],
    ]);
    const [, timestamp, log] = registrar.imports;
    expect(timestamp).toMatchObject({ params: [], results: ["i64"], exportName: "createGetTimestamp" });
    expect(log).toMatchObject({ params: ["i32", "i32", "i32"], results: [], exportName: "createLogMessage" });
  });

  it("points worker imports at built JavaScript that exports the factories", async () => {
    const registrar = new SandboxHostFunctions({
      policy: defaultSandboxPolicy(),
      timestamp: { kind: "deterministic", timestampMs: 1_700_000_000_000 },
    });
    for (const entry of registrar.imports) {
      if (entry.kind !== "worker") continue;
      expect(entry.moduleUrl).toMatch(/\/dist\/worker\/\w+\.js$/);
      const module = (await import(entry.moduleUrl)) as Record<string, unknown>;
      expect(typeof module[entry.exportName]).toBe("function");
      if (entry.name === "get_timestamp") {
        const factory = module[entry.exportName] as typeof createGetTimestamp;
        expect(factory(structuredClone(entry.config), noContext)()).toBe(1_700_000_000_000n);
      }
    }
  });

  it("accepts a validated policy and rejects an isolation opt-out the policy does not allow", () => {
    const validated = validateSandboxPolicy(defaultSandboxPolicy());
    expect(new SandboxHostFunctions({ policy: validated }).policy).toBe(validated);
    expect(() => new SandboxHostFunctions({ policy: validated, isolation: { backend: "none" } })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    expect(
      () => new SandboxHostFunctions({ policy: defaultSandboxPolicy(), logLimits: { maxRecords: -1 } }),
    ).toThrowError(/logLimits.maxRecords/);
  });

  it("runs unisolated only with an explicit opt-out", async () => {
    const jail = await mkdtemp(path.join(os.tmpdir(), "sbx-none-"));
    const bare = sandbox({
      policy: {
        ...defaultSandboxPolicy(),
        workingDirectory: jail,
        requireIsolation: false,
        allowedCommands: ["sh"],
      },
      isolation: { backend: "none" },
    });
    try {
      // Unisolated, the child sees the host's pid namespace: its parent pid is the validator itself.
      const response = ok(await bare.exec({ command: "sh", args: ["-c", "echo $PPID"] }));
      expect(Number(text(response.stdout))).toBe(process.pid);
    } finally {
      await rm(jail, { recursive: true, force: true });
    }
    let thrown: unknown;
    try {
      new SandboxHostFunctions({ policy: defaultSandboxPolicy(), isolation: { backend: "none" } });
    } catch (error) {
      thrown = error;
    }
    expect(isHostFunctionsError(thrown)).toBe(true);
  });
});

describe("get_timestamp", () => {
  it("answers the deterministic value exactly", () => {
    const get = createGetTimestamp({ kind: "deterministic", timestampMs: 1_700_000_000_000 }, noContext);
    expect(get()).toBe(1_700_000_000_000n);
    expect(get()).toBe(1_700_000_000_000n);
  });

  it("answers real time in milliseconds", () => {
    const before = BigInt(Date.now());
    const value = createGetTimestamp({ kind: "real_time" }, noContext)();
    expect(value).toBeGreaterThan(0n);
    expect(value >= before && value <= BigInt(Date.now())).toBe(true);
  });

  it("refuses a non-integer deterministic timestamp", () => {
    expect(
      () =>
        new SandboxHostFunctions({
          policy: defaultSandboxPolicy(),
          timestamp: { kind: "deterministic", timestampMs: 1.5 },
        }),
    ).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });
});

describe("isolation options", () => {
  it("refuses out-of-range limits, ids and relative paths", () => {
    const bad = [
      { limits: { maxProcesses: 0 } },
      { limits: { maxOpenFiles: Number.NaN } },
      { limits: { maxBogus: 1 } as never },
      { sandboxUid: -1 },
      { bwrapPath: "bwrap" },
      { backend: "docker" as never },
    ];
    for (const isolation of bad) {
      expect(() => new SandboxHostFunctions({ policy: defaultSandboxPolicy(), isolation })).toThrow(
        expect.objectContaining({ code: "INVALID_OPTIONS" }),
      );
    }
  });
});
