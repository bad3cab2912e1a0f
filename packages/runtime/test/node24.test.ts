// Node 24 compatibility (issue 9): the same module and input give the same fuel_consumed on Node 20 (the Node
// the suite runs on) and on Node 24, a guest that runs out of fuel stops at the same count, and the worker
// bridge evaluates the same way. Both sides run the BUILT runtime (dist/) in child processes, one per Node.
// Node 24 comes from @platform-wasm/node24; when it is missing the tests fail, never skip: CI installs it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { node24Binary } from "@platform-wasm/node24";
import { describe, expect, it, vi } from "vitest";
import { expectedScore, input } from "./helpers.js";

// Child processes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const fuelScript = fileURLToPath(new URL("./fixtures/crossNodeFuel.mjs", import.meta.url));
const evaluateScript = fileURLToPath(new URL("./fixtures/crossNodeEvaluate.mjs", import.meta.url));

/** Runs `node args…`, feeding `stdin`; resolves with its parsed JSON output, rejects on any failure. */
function runNode(node: string, args: readonly string[], stdin = ""): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (code !== 0) {
        reject(new Error(`${node} ${args.join(" ")} exited ${code ?? signal}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")));
      } catch (cause) {
        reject(new Error(`${node} printed no JSON:\n${stderr}`, { cause }));
      }
    });
    child.stdin.end(stdin);
  });
}

interface Call {
  readonly fixture: string;
  readonly name: string;
  /** i32 as numbers, i64 as decimal strings. */
  readonly args: readonly (number | string)[];
  /** Fixed budgets for a call that never finishes; otherwise the child finds the need and cuts below it. */
  readonly budgets?: readonly string[];
}
interface Run {
  readonly budget: string;
  readonly outcome: string;
  readonly remaining: string;
  readonly memoryHash: string;
  readonly need?: string;
}
interface FuelReport {
  readonly node: string;
  readonly v8: string;
  readonly meteredHashes: Record<string, string>;
  readonly results: readonly { fixture: string; name: string; runs: readonly Run[] }[];
}

// Every fuel fixture: loops, recursion, br_table, calls through tables, bulk memory and tables, memory.grow,
// multi-value, a start function, guest traps and an endless loop.
const calls: readonly Call[] = [
  { fixture: "fuel-hash", name: "hash", args: [12345, 512, 3] },
  { fixture: "fuel-hash", name: "sort", args: [99, 300] },
  { fixture: "fuel-loop", name: "sum", args: [1000] },
  { fixture: "fuel-loop", name: "collatz", args: [27] },
  { fixture: "fuel-loop", name: "nested", args: [20] },
  { fixture: "fuel-loop", name: "trapAfter", args: [7] },
  { fixture: "fuel-loop", name: "spin", args: [0], budgets: ["0", "1", "1000", "123457"] },
  { fixture: "fuel-recursion", name: "fib", args: [18] },
  { fixture: "fuel-recursion", name: "fibMasked", args: [-7] },
  { fixture: "fuel-recursion", name: "isEven", args: [101] },
  { fixture: "fuel-recursion", name: "parity", args: [77] },
  { fixture: "fuel-recursion", name: "gcd", args: ["1071", "462"] },
  { fixture: "fuel-recursion", name: "gcd32", args: [1071, 462] },
  { fixture: "fuel-brtable", name: "machine", args: [0x03ff] },
  { fixture: "fuel-brtable", name: "classify", args: [5] },
  { fixture: "fuel-brtable", name: "clamp", args: [-3] },
  { fixture: "fuel-brtable", name: "exits", args: [2] },
  { fixture: "fuel-indirect", name: "fold", args: [0x7f3e2d1c] },
  { fixture: "fuel-indirect", name: "dispatch", args: [1, 7, 3] },
  { fixture: "fuel-indirect", name: "callEmpty", args: [] },
  { fixture: "fuel-bulk", name: "fill", args: [3000] },
  { fixture: "fuel-bulk", name: "copy", args: [2000] },
  { fixture: "fuel-bulk", name: "grow", args: [2] },
  { fixture: "fuel-bulk", name: "growTooMuch", args: [] },
  { fixture: "fuel-bulk", name: "tables", args: [3] },
  { fixture: "fuel-bulk", name: "drops", args: [] },
  { fixture: "fuel-misc", name: "mix", args: [12345] },
  { fixture: "fuel-multivalue", name: "gcdLoop", args: [1071, 462] },
  { fixture: "fuel-multivalue", name: "mix", args: [9] },
  { fixture: "fuel-multivalue", name: "triple", args: [4] },
  { fixture: "fuel-start", name: "seed", args: [] },
];

const major = (version: string): number => Number(/^v(\d+)\./.exec(version)?.[1]);

describe("Node 24 compatibility", () => {
  it("finds the Node 24 binary and runs the suite itself on another major (the baseline)", async () => {
    const node24 = node24Binary();
    const version = await runNode(node24, ["-e", "process.stdout.write(JSON.stringify(process.version))"]);
    expect(major(version as string)).toBe(24);
    // The comparison below is only a proof across versions when the suite's own Node is not Node 24.
    expect(major(process.version), `the suite runs on ${process.version}; run it on Node 20`).not.toBe(24);
  });

  it("same metered bytes, results, fuel_consumed and out-of-fuel stop points on Node 20 and Node 24 (both tiers)", async () => {
    const node24 = node24Binary();
    const stdin = JSON.stringify({ calls });
    const [baseline, latest, liftoff, turbofan] = (await Promise.all([
      runNode(process.execPath, [fuelScript], stdin),
      runNode(node24, [fuelScript], stdin),
      runNode(node24, ["--liftoff-only", fuelScript], stdin),
      runNode(node24, ["--no-liftoff", fuelScript], stdin),
    ])) as FuelReport[];
    const base = baseline as FuelReport;
    expect(base.node).toBe(process.version);
    for (const other of [latest, liftoff, turbofan] as FuelReport[]) {
      expect(major(other.node)).toBe(24);
      expect(other.meteredHashes).toEqual(base.meteredHashes);
      expect(other.results).toEqual(base.results);
    }

    // The baseline itself shows the properties compared: exact needs, a stop one unit short, guest traps
    // told apart from fuel, and an endless loop ended by fuel.
    expect(Object.keys(base.meteredHashes)).toHaveLength(9);
    const outcomes = base.results.flatMap((r) => r.runs.map((run) => run.outcome));
    expect(outcomes.some((o) => o.startsWith("trap:RuntimeError:"))).toBe(true);
    for (const result of base.results) {
      const [full, ...cut] = result.runs as [Run, ...Run[]];
      if (full.need === undefined) {
        expect(result.name).toBe("spin");
        for (const run of result.runs)
          expect(run).toMatchObject({ outcome: "fuel-exhausted", remaining: "-1" });
        continue;
      }
      const need = BigInt(full.need);
      expect(need, `${result.fixture}.${result.name}`).toBeGreaterThan(0n);
      for (const run of cut) {
        if (BigInt(run.budget) === need) {
          // Exactly the need: the same outcome and memory as with ample fuel; a call that returns has
          // nothing left (after a guest trap the global holds its last call boundary's value: FUEL.md).
          expect(run).toMatchObject({ outcome: full.outcome, memoryHash: full.memoryHash });
          if (full.outcome.startsWith("value:")) expect(run.remaining).toBe("0");
        } else {
          expect(run, `${result.fixture}.${result.name} with ${run.budget}`).toMatchObject({
            outcome: "fuel-exhausted",
            remaining: "-1",
          });
        }
      }
    }
    // A sort stopped part-way leaves other memory than a finished one: it stopped mid-work, at one point.
    const sort = base.results.find((r) => r.name === "sort")!;
    expect(new Set(sort.runs.map((run) => run.memoryHash)).size).toBeGreaterThan(2);
  });

  it("the worker-based runtime evaluates, serves host calls and stops by fuel the same way on Node 24", async () => {
    const [baseline, latest] = (await Promise.all([
      runNode(process.execPath, [evaluateScript]),
      runNode(node24Binary(), [evaluateScript]),
    ])) as Record<string, unknown>[];
    expect(baseline).toMatchObject({ node: process.version });
    expect(major(String(latest?.node))).toBe(24);
    expect({ ...latest, node: undefined }).toEqual({ ...baseline, node: undefined });

    const value = input(new Uint8Array([5, 6, 7, 8]));
    expect(baseline).toMatchObject({
      echo: { output: { score: expectedScore(value), valid: true, message: "ok" } },
      host: {
        loop: 200,
        ticks: "210", // tick() from 40: 40 + 41 + 42 + 43 + 44
        calls: 200,
        notes: ["same on 20 and 24"],
        hostCalls: { "test_ns.ping": 200, "test_ns.tick": 5, "test_ns.note": 1 },
      },
      exhausted: { code: "FUEL_EXHAUSTED", fuelConsumed: 100_000, fuelRemaining: 0 },
      startOutOfFuel: "FUEL_EXHAUSTED",
    });
    const echo = (baseline as { echo: { fuelConsumed: number } }).echo;
    const host = (baseline as { host: { afterLoop: number; fuelConsumed: number } }).host;
    expect(echo.fuelConsumed).toBeGreaterThan(0);
    expect(host.fuelConsumed).toBeGreaterThan(host.afterLoop);
  });
});
