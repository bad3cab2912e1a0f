// Determinism: the same metered module and input consume the same fuel in every run and in every worker
// thread, and a run that is cut short stops at the same instruction (same memory, same -1 marker).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_COST_TABLE } from "./costTable.js";
import { FUEL_GLOBAL_EXPORT, meterModule, meterModuleWithPlacement } from "./meter.js";

interface Job {
  readonly fixture: string;
  readonly name: string;
  readonly args: readonly number[];
  readonly budget: bigint;
}
interface Result {
  readonly outcome: string;
  readonly remaining: bigint;
  readonly memoryHash: string;
}

// Plain JavaScript (a worker runs it directly): the same steps as `runJob` below.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const results = workerData.jobs.map((job) => {
  const module = new WebAssembly.Module(workerData.modules[job.fixture]);
  const exports = new WebAssembly.Instance(module).exports;
  exports.${FUEL_GLOBAL_EXPORT}.value = job.budget;
  let outcome;
  try { outcome = "value:" + String(exports[job.name](...job.args)); }
  catch (error) { outcome = "trap:" + error.message; }
  const memory = exports.memory ? createHash("sha256").update(new Uint8Array(exports.memory.buffer)).digest("hex") : "";
  return { outcome, remaining: exports.${FUEL_GLOBAL_EXPORT}.value, memoryHash: memory };
});
parentPort.postMessage(results);
`;

// Worker threads, child processes and fuzzing are slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

function runJob(modules: Record<string, Uint8Array>, job: Job): Result {
  const bytes = modules[job.fixture] as Uint8Array<ArrayBuffer>;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, unknown>;
  const fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
  fuel.value = job.budget;
  let outcome: string;
  try {
    outcome = `value:${String((exports[job.name] as (...a: number[]) => unknown)(...job.args))}`;
  } catch (error) {
    outcome = `trap:${(error as Error).message}`;
  }
  const memory = exports.memory as WebAssembly.Memory | undefined;
  const memoryHash = memory ? createHash("sha256").update(new Uint8Array(memory.buffer)).digest("hex") : "";
  return { outcome, remaining: fuel.value as bigint, memoryHash };
}

// The same job runner as a standalone script: data on stdin (modules as base64, budgets as strings).
const CHILD_SOURCE = `
const { createHash } = require("node:crypto");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const results = input.jobs.map((job) => {
  const module = new WebAssembly.Module(Buffer.from(input.modules[job.fixture], "base64"));
  const exports = new WebAssembly.Instance(module).exports;
  exports.${FUEL_GLOBAL_EXPORT}.value = BigInt(job.budget);
  let outcome;
  try { outcome = "value:" + String(exports[job.name](...job.args)); }
  catch (error) { outcome = "trap:" + error.message; }
  const memory = exports.memory ? createHash("sha256").update(new Uint8Array(exports.memory.buffer)).digest("hex") : "";
  return { outcome, remaining: String(exports.${FUEL_GLOBAL_EXPORT}.value), memoryHash: memory };
});
process.stdout.write(JSON.stringify(results));
`;

/** Runs the jobs in a separate Node process started with `v8Flags` (e.g. one compiler tier only). */
function runInProcess(
  modules: Record<string, Uint8Array>,
  jobs: readonly Job[],
  v8Flags: readonly string[],
): Result[] {
  const input = JSON.stringify({
    modules: Object.fromEntries(
      Object.entries(modules).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
    ),
    jobs: jobs.map((job) => ({ ...job, budget: String(job.budget) })),
  });
  const output = execFileSync(process.execPath, [...v8Flags, "-e", CHILD_SOURCE], {
    input,
    encoding: "utf8",
  });
  return (JSON.parse(output) as { outcome: string; remaining: string; memoryHash: string }[]).map((r) => ({
    ...r,
    remaining: BigInt(r.remaining),
  }));
}

function runInWorker(modules: Record<string, Uint8Array>, jobs: readonly Job[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modules, jobs } });
    worker.once("message", (results: Result[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

const AMPLE = 1n << 50n;
const fixtures = ["fuel-hash", "fuel-loop", "fuel-recursion", "fuel-brtable", "fuel-indirect", "fuel-bulk"];
const modules: Record<string, Uint8Array> = {};
for (const name of fixtures) modules[name] = meterModule(loadFixture(name));

const calls: readonly Omit<Job, "budget">[] = [
  { fixture: "fuel-hash", name: "hash", args: [12345, 512, 3] },
  { fixture: "fuel-hash", name: "sort", args: [99, 300] },
  { fixture: "fuel-loop", name: "collatz", args: [27] },
  { fixture: "fuel-recursion", name: "fib", args: [18] },
  { fixture: "fuel-brtable", name: "machine", args: [0x03ff] },
  { fixture: "fuel-indirect", name: "fold", args: [0x7f3e2d1c] },
  { fixture: "fuel-bulk", name: "fill", args: [3000] },
];

describe("fuel is deterministic", () => {
  it("same module and input → same fuel, in this thread and in two worker threads at once", async () => {
    const full = calls.map((c) => ({ ...c, budget: AMPLE }));
    const here = full.map((job) => runJob(modules, job));
    const again = full.map((job) => runJob(modules, job));
    expect(again).toEqual(here);
    // Cut every call short at a third and at need - 1 of its need: where it stops must not vary either.
    const short = here.flatMap((result, i) => {
      const need = AMPLE - result.remaining;
      const call = calls[i] as Omit<Job, "budget">;
      return [
        { ...call, budget: need / 3n },
        { ...call, budget: need - 1n },
      ];
    });
    const jobs = [...full, ...short];
    const local = jobs.map((job) => runJob(modules, job));
    const [a, b] = await Promise.all([runInWorker(modules, jobs), runInWorker(modules, jobs)]);
    expect(a).toEqual(local);
    expect(b).toEqual(local);
    for (const result of local.slice(full.length)) {
      expect(result.remaining).toBe(-1n);
      expect(result.outcome).toBe("trap:unreachable");
    }
    // A run stopped part-way leaves memory different from a completed one (it did stop mid-work) but
    // identical in every thread (checked above).
    const sortDone = local[1] as Result;
    const sortThird = local[full.length + 2] as Result;
    expect(sortThird.memoryHash).not.toBe(sortDone.memoryHash);
  });

  it("same fuel and stopping points with only the baseline compiler (Liftoff) and only the optimizer (TurboFan)", () => {
    const full = calls.map((c) => ({ ...c, budget: AMPLE }));
    const here = full.map((job) => runJob(modules, job));
    const jobs = [
      ...full,
      ...here.map((result, i) => ({
        ...(calls[i] as Omit<Job, "budget">),
        budget: (AMPLE - result.remaining) / 2n,
      })),
    ];
    const local = jobs.map((job) => runJob(modules, job));
    expect(runInProcess(modules, jobs, ["--liftoff-only"])).toEqual(local);
    expect(runInProcess(modules, jobs, ["--no-liftoff"])).toEqual(local);
  });

  it("every budget from 0 to the need stops at a reproducible point (exhaustive sweep)", () => {
    const job = { fixture: "fuel-recursion", name: "fib", args: [6] } as const;
    const need = AMPLE - runJob(modules, { ...job, budget: AMPLE }).remaining;
    for (let budget = 0n; budget <= need; budget++) {
      const first = runJob(modules, { ...job, budget });
      const second = runJob(modules, { ...job, budget });
      expect(second).toEqual(first);
      expect(first.remaining).toBe(budget === need ? 0n : -1n);
    }
  });
});

describe("property: random i32 inputs", () => {
  const plain: Record<string, WebAssembly.Module> = {};
  const oracle: Record<string, Uint8Array> = {};
  for (const name of fixtures) {
    plain[name] = new WebAssembly.Module(loadFixture(name) as Uint8Array<ArrayBuffer>);
    oracle[name] = meterModuleWithPlacement(loadFixture(name), DEFAULT_COST_TABLE, "instruction");
  }
  const unary = [
    ["fuel-loop", "collatz"],
    ["fuel-loop", "nested"],
    ["fuel-recursion", "fibMasked"],
    ["fuel-recursion", "parity"],
    ["fuel-brtable", "machine"],
    ["fuel-brtable", "classify"],
    ["fuel-brtable", "clamp"],
    ["fuel-indirect", "fold"],
    ["fuel-bulk", "fill"],
    ["fuel-bulk", "copy"],
    ["fuel-bulk", "grow"],
    ["fuel-bulk", "tables"],
  ] as const;

  it("metered computes what the unmetered module computes, with the oracle's fuel", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...unary),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        ([fixture, name], x) => {
          const exports = new WebAssembly.Instance(plain[fixture] as WebAssembly.Module).exports as Record<
            string,
            (v: number) => unknown
          >;
          let expected: string;
          try {
            expected = `value:${String(exports[name]?.(x))}`;
          } catch (error) {
            expected = `trap:${(error as Error).message}`;
          }
          const metered = runJob(modules, { fixture, name, args: [x], budget: AMPLE });
          expect(metered.outcome).toBe(expected);
          expect(runJob(oracle, { fixture, name, args: [x], budget: AMPLE }).remaining).toBe(
            metered.remaining,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the hash guest agrees on random seeds, sizes and rounds", () => {
    const hashPlain = new WebAssembly.Instance(plain["fuel-hash"] as WebAssembly.Module).exports as Record<
      string,
      (...v: number[]) => number
    >;
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 3 }),
        (seed, words, rounds) => {
          const expected = `value:${String(hashPlain.hash?.(seed, words, rounds))}`;
          expect(
            runJob(modules, {
              fixture: "fuel-hash",
              name: "hash",
              args: [seed, words, rounds],
              budget: AMPLE,
            }).outcome,
          ).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
