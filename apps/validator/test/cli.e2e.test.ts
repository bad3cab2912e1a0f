// End-to-end: the BUILT `validator` CLI run as a subprocess on real guest modules.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixtures, parseJsonOutput, requireBuilt, runCli, tempDir } from "./helpers.js";

let work: string;

beforeAll(async () => {
  requireBuilt();
  work = await tempDir("cli");
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const METRIC_KEYS = [
  "execution_time_ms",
  "memory_used_bytes",
  "sandbox_executions",
  "network_requests",
  "fuel_consumed",
];

describe("validator evaluate --json", () => {
  it("prints one success object with output and metrics", async () => {
    const run = await runCli(["evaluate", fixturePath("val-success"), "--json"]);
    expect(run.exitCode).toBe(0);
    const body = parseJsonOutput(run);
    expect(body).toMatchObject({ ok: true, output: { score: 100, valid: true, message: "all good" } });
    expect(Object.keys(body.metrics as object).sort()).toEqual([...METRIC_KEYS].sort());
    const metrics = body.metrics as Record<string, unknown>;
    expect(metrics.execution_time_ms).toBeGreaterThan(0);
    expect(metrics.memory_used_bytes).toBe(65536);
    expect(metrics.sandbox_executions).toBe(0);
    expect(metrics.network_requests).toBe(0);
    expect(metrics.fuel_consumed).toBeNull();
  });

  it("hands --input bytes from a file or stdin to the guest as agent_data", async () => {
    const file = path.join(work, "answer.txt");
    await writeFile(file, "x".repeat(300));
    const fromFile = await runCli(["evaluate", fixturePath("val-echo-length"), "--input", file, "--json"]);
    expect(parseJsonOutput(fromFile)).toMatchObject({
      ok: true,
      output: { score: 300, message: "agent_data length" },
    });
    const fromStdin = await runCli(["evaluate", fixturePath("val-echo-length"), "--input", "-", "--json"], {
      stdin: "hello",
    });
    expect(parseJsonOutput(fromStdin)).toMatchObject({ ok: true, output: { score: 5 } });
    const none = await runCli(["evaluate", fixturePath("val-echo-length"), "--json"]);
    expect(parseJsonOutput(none)).toMatchObject({ ok: true, output: { score: 0 } });
  });

  it("runs the guest's validate export", async () => {
    const file = path.join(work, "answer.txt");
    await writeFile(file, "42");
    const accepted = await runCli(["validate", fixturePath("val-success"), "--input", file, "--json"]);
    expect(parseJsonOutput(accepted)).toMatchObject({ ok: true, output: { valid: true, score: 0 } });
    const rejected = await runCli(["validate", fixturePath("val-reject"), "--input", file, "--json"]);
    expect(rejected.exitCode).toBe(0);
    expect(parseJsonOutput(rejected)).toMatchObject({ ok: true, output: { valid: false, score: 0 } });
  });

  it("reports a rejecting verdict as ok with valid false", async () => {
    const run = await runCli(["evaluate", fixturePath("val-reject"), "--json"]);
    expect(run.exitCode).toBe(0);
    expect(parseJsonOutput(run)).toMatchObject({
      ok: true,
      output: { score: 0, valid: false, message: "wrong answer" },
    });
  });

  it.each([
    ["val-invalid-output", [], "INVALID_GUEST_OUTPUT", /output/i],
    ["val-trap", [], "GUEST_TRAP", /unreachable/],
    ["val-infinite-loop", ["--timeout-ms", "300"], "DEADLINE_EXCEEDED", /300 ms/],
    ["val-missing-export", [], "MISSING_EXPORT", /evaluate/],
  ])("%s fails with %s", async (fixture, flags, code, message) => {
    const started = performance.now();
    const run = await runCli(["evaluate", fixturePath(fixture), ...flags, "--json"]);
    expect(run.exitCode).toBe(1);
    const body = parseJsonOutput(run);
    expect(body).toEqual({ ok: false, error: { code, message: expect.stringMatching(message) } });
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it("stops a memory bomb at the memory cap", async () => {
    const run = await runCli(["evaluate", fixturePath("val-memory-bomb"), "--max-memory-mb", "2", "--json"]);
    expect(run.exitCode).toBe(1);
    expect(parseJsonOutput(run)).toMatchObject({ ok: false, error: { code: "MEMORY_LIMIT" } });
  });

  it("reports a missing module", async () => {
    const run = await runCli(["evaluate", path.join(work, "absent.wasm"), "--json"]);
    expect(run.exitCode).toBe(1);
    expect(parseJsonOutput(run)).toMatchObject({ ok: false, error: { code: "MODULE_NOT_FOUND" } });
  });

  it("names the bad field of a policy file", async () => {
    const unknownField = path.join(work, "typo.policy.json");
    await writeFile(unknownField, JSON.stringify({ sandbox: { allowed_commandz: ["cat"] } }));
    const run = await runCli(["evaluate", fixturePath("val-success"), "--policy", unknownField, "--json"]);
    expect(run.exitCode).toBe(1);
    const body = parseJsonOutput(run);
    expect(body).toMatchObject({ ok: false, error: { code: "POLICY_FILE_INVALID" } });
    expect((body.error as { message: string }).message).toContain("allowed_commandz");

    const wrongType = path.join(work, "type.policy.yaml");
    await writeFile(wrongType, "limits:\n  timeout_ms: soon\n");
    const typed = parseJsonOutput(
      await runCli(["evaluate", fixturePath("val-success"), "--policy", wrongType, "--json"]),
    );
    expect(typed).toMatchObject({ ok: false, error: { code: "POLICY_FILE_INVALID" } });
    expect((typed.error as { message: string }).message).toContain("limits.timeout_ms");
  });

  it("applies a companion policy beside the module", async () => {
    const dir = path.join(work, "companion");
    await mkdir(dir, { recursive: true });
    await copyFixtures(dir, ["val-infinite-loop"]);
    await writeFile(
      path.join(dir, "val-infinite-loop.policy.json"),
      JSON.stringify({ limits: { timeout_ms: 250 } }),
    );
    const run = await runCli(["evaluate", path.join(dir, "val-infinite-loop.wasm"), "--json"]);
    expect(parseJsonOutput(run)).toMatchObject({
      ok: false,
      error: { code: "DEADLINE_EXCEEDED", message: expect.stringContaining("250 ms") },
    });
  });

  it("meters fuel when asked", async () => {
    const run = await runCli(["evaluate", fixturePath("val-infinite-loop"), "--fuel", "100000", "--json"]);
    expect(parseJsonOutput(run)).toMatchObject({ ok: false, error: { code: "FUEL_EXHAUSTED" } });
    const ok = parseJsonOutput(
      await runCli(["evaluate", fixturePath("val-success"), "--fuel", "100000", "--json"]),
    );
    expect(ok).toMatchObject({ ok: true });
    expect((ok.metrics as { fuel_consumed: number }).fuel_consumed).toBeGreaterThan(0);
  });

  it("answers usage errors with code USAGE and exit status 2", async () => {
    const run = await runCli(["evaluate", "--timeout-ms", "x", "--json"]);
    expect(run.exitCode).toBe(2);
    expect(parseJsonOutput(run)).toMatchObject({ ok: false, error: { code: "USAGE" } });
    const human = await runCli(["frobnicate"]);
    expect(human.exitCode).toBe(2);
    expect(human.stderr).toContain("USAGE");
    expect(human.stderr).toContain("Usage:");
  });
});

describe("validator human output", () => {
  it("prints a readable verdict without colours when not on a TTY", async () => {
    const run = await runCli(["evaluate", fixturePath("val-success")]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/VALID\s+score 100\s+all good/);
    expect(run.stdout).toMatch(
      /ms · memory 64 KiB · sandbox executions 0 · network requests 0 · fuel not metered/,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting the absence of ANSI escapes.
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it("prints errors on stderr", async () => {
    const run = await runCli(["evaluate", fixturePath("val-trap")]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/error GUEST_TRAP: .*unreachable/);
  });

  it("colours output when forced", async () => {
    const run = await runCli(["evaluate", fixturePath("val-success")], { env: { FORCE_COLOR: "1" } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting ANSI escapes are present.
    expect(run.stdout).toMatch(/\u001b\[32m/);
  });
});

describe("validator evaluate --inputs", () => {
  it("scores every file and prints a summary table", async () => {
    const dir = path.join(work, "inputs");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "a.json"), "1");
    await writeFile(path.join(dir, "b.json"), "123");
    await writeFile(path.join(dir, ".hidden"), "3");
    const run = await runCli(["evaluate", fixturePath("val-echo-length"), "--inputs", dir]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/input\s+score\s+valid\s+time ms\s+result/);
    expect(run.stdout).toMatch(/a\.json\s+1\s+yes\s+[\d.]+\s+agent_data length/);
    expect(run.stdout).toMatch(/b\.json\s+3\s+yes/);
    expect(run.stdout).not.toContain(".hidden");
    expect(run.stdout).toContain("2 inputs · 2 succeeded · 0 failed · 2 valid · mean score 2.00");

    const json = parseJsonOutput(
      await runCli(["evaluate", fixturePath("val-trap"), "--inputs", dir, "--json"]),
    );
    expect(json).toMatchObject({
      ok: false,
      summary: { inputs: 2, succeeded: 0, failed: 2 },
      results: [
        { input: "a.json", ok: false, error: { code: "GUEST_TRAP" } },
        { input: "b.json", ok: false, error: { code: "GUEST_TRAP" } },
      ],
    });
  });
});

describe("validator inspect", () => {
  it("lists imports and exports and passes the ABI check", async () => {
    const run = await runCli(["inspect", fixturePath("val-exec"), "--json"]);
    expect(run.exitCode).toBe(0);
    const body = parseJsonOutput(run);
    expect(body).toMatchObject({
      ok: true,
      imports: [
        { module: "platform_sandbox", name: "log_message", kind: "function" },
        { module: "platform_sandbox", name: "sandbox_exec", kind: "function" },
      ],
      abi: { compatible: true, problems: [] },
    });
    expect((body.exports as { name: string }[]).map((e) => e.name).sort()).toEqual([
      "alloc",
      "evaluate",
      "memory",
    ]);
  });

  it("reports ABI problems", async () => {
    const run = await runCli(["inspect", fixturePath("val-missing-export")]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("ABI v1: not compatible");
    expect(run.stdout).toContain('missing function export "evaluate"');
  });
});
