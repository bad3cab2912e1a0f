// WasmChallengeExecutor in process, on real guest modules: the compiled-module cache (path + content hash
// + compile options), companion and explicit policies, confinement, and metrics from the host functions.
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmChallengeExecutor } from "../src/executor/executor.js";
import { requireBuilt, tempDir } from "./helpers.js";

let dir: string;
let executor: WasmChallengeExecutor;
const input = new TextEncoder().encode("abc");

beforeAll(async () => {
  requireBuilt();
  dir = await tempDir("executor");
  await mkdir(path.join(dir, "modules"));
  executor = new WasmChallengeExecutor({
    validatorId: "executor-test",
    moduleDir: path.join(dir, "modules"),
  });
});

afterAll(async () => {
  await executor?.close();
  await rm(dir, { recursive: true, force: true });
});

const modulePath = (name: string) => path.join(dir, "modules", name);

describe("WasmChallengeExecutor", () => {
  it("caches by path and content hash, recompiling a changed file", async () => {
    await copyFile(fixturePath("val-echo-length"), modulePath("m.wasm"));
    expect((await executor.executeEvaluation("m.wasm", { input })).output.score).toBe(3);
    expect((await executor.executeEvaluation("m.wasm", { input })).output.score).toBe(3);
    expect(executor.cachedModuleCount).toBe(1);

    // Same path, new bytes: the next evaluation runs the new module, and the old entry is gone.
    await copyFile(fixturePath("val-reject"), modulePath("m.wasm"));
    expect((await executor.executeEvaluation("m.wasm", { input })).output).toEqual({
      score: 0,
      valid: false,
      message: "wrong answer",
    });
    expect(executor.cachedModuleCount).toBe(1);

    // A different memory cap is a different compilation of the same bytes.
    await executor.executeEvaluation("m.wasm", { input, overrides: { maxMemoryMb: 2 } });
    expect(executor.cachedModuleCount).toBe(2);

    expect(executor.invalidate("m.wasm")).toBe(true);
    expect(executor.cachedModuleCount).toBe(0);
    await executor.executeEvaluation("m.wasm", { input });
    executor.clear();
    expect(executor.cachedModuleCount).toBe(0);
  });

  it("does not cache a module that fails to compile", async () => {
    await writeFile(modulePath("broken.wasm"), "not wasm at all");
    await expect(executor.executeEvaluation("broken.wasm", { input })).rejects.toMatchObject({
      code: "MODULE_COMPILE_FAILED",
    });
    expect(executor.cachedModuleCount).toBe(0);
  });

  it("confines names to the module directory", async () => {
    await copyFile(fixturePath("val-success"), path.join(dir, "outside.wasm"));
    await expect(executor.executeEvaluation("../outside.wasm", { input })).rejects.toMatchObject({
      code: "MODULE_NAME_INVALID",
    });
    await expect(executor.executeEvaluation("absent.wasm", { input })).rejects.toMatchObject({
      code: "MODULE_NOT_FOUND",
    });
  });

  it("applies companion policies (YAML) and explicit ones, flags over files", async () => {
    await copyFile(fixturePath("val-infinite-loop"), modulePath("loop.wasm"));
    await writeFile(modulePath("loop.policy.yaml"), "limits:\n  timeout_ms: 200\n");
    await expect(executor.executeEvaluation("loop.wasm", { input })).rejects.toMatchObject({
      code: "DEADLINE_EXCEEDED",
      message: expect.stringContaining("200 ms"),
    });
    await expect(
      executor.executeEvaluation("loop.wasm", { input, overrides: { timeoutMs: 150 } }),
    ).rejects.toMatchObject({ message: expect.stringContaining("150 ms") });
    const explicit = path.join(dir, "explicit.policy.json");
    await writeFile(explicit, JSON.stringify({ limits: { timeout_ms: 180 } }));
    await expect(
      executor.executeEvaluation("loop.wasm", { input, policyPath: explicit }),
    ).rejects.toMatchObject({
      message: expect.stringContaining("180 ms"),
    });
  });

  it("reports sandbox executions from the host functions", async () => {
    await copyFile(fixturePath("val-exec"), modulePath("exec.wasm"));
    const denied = await executor.executeEvaluation("exec.wasm", { input });
    expect(denied.metrics.sandbox_executions).toBe(0);

    await writeFile(
      modulePath("exec.policy.json"),
      JSON.stringify({ sandbox: { enabled: true, allowed_commands: ["true"], max_executions: 4 } }),
    );
    const allowed = await executor.executeEvaluation("exec.wasm", { input });
    expect(allowed.output).toEqual({ score: 7, valid: true, message: "exec attempted" });
    expect(allowed.metrics.sandbox_executions).toBe(1);
    expect(allowed.metrics.network_requests).toBe(0);
    expect(allowed.metrics.memory_used_bytes).toBe(65536);
  });

  it("prints scores beyond 2^53 as exact decimal strings", async () => {
    await copyFile(fixturePath("val-big-score"), modulePath("big.wasm"));
    const { output } = await executor.executeEvaluation("big.wasm", { input });
    expect(output.score).toBe("9223372036854775807");
  });

  it("meters fuel when a budget is given", async () => {
    await copyFile(fixturePath("val-success"), modulePath("fuel.wasm"));
    const metered = await executor.executeEvaluation("fuel.wasm", { input, overrides: { fuel: 1_000_000 } });
    expect(metered.metrics.fuel_consumed).toBeGreaterThan(0);
    const unmetered = await executor.executeEvaluation("fuel.wasm", { input });
    expect(unmetered.metrics.fuel_consumed).toBeNull();
  });
});
