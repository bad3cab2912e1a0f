// @platform-wasm/runtime: host-call bridge latency, in-worker import cost, pooled evaluation throughput
// against a bare in-thread loop on the same module, and cold start. Every figure has its baseline or goal
// measured in the same run. Run: `cd bench && node --import tsx run.ts runtime` (build the runtime first).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { type HostFunctionRegistrar, type WasmModule, WasmRuntime } from "@platform-wasm/runtime";
import { decodeEvaluationOutput, type EvaluationInput, encodeEvaluationInput } from "@platform-wasm/wire";
import type { BenchSuite } from "../suite.js";

const CALLS_PER_BATCH = 2_000;
const BATCHES = 15;
const THROUGHPUT_ROUNDS = 9;
const THROUGHPUT_ROUND_MS = 400;
const CONCURRENCY = 4;

const input: EvaluationInput = {
  agent_data: new Uint8Array([1, 2, 3, 4]),
  challenge_id: "bench",
  params: new Uint8Array(),
  task_definition: undefined,
  environment_config: undefined,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  readonly met: boolean;
}

/** A registrar whose `ping` answers `{"Ok": nil}` at once and records when each call arrived. */
function noopRegistrar(arrivals: number[], tickUrl: string): HostFunctionRegistrar<null> {
  return {
    namespace: "test_ns",
    createState: () => null,
    imports: [
      {
        kind: "request",
        name: "ping",
        handle: async () => {
          arrivals.push(performance.now());
          return { Ok: null };
        },
      },
      {
        kind: "worker",
        name: "tick",
        params: [],
        results: ["i64"],
        moduleUrl: tickUrl,
        exportName: "createTick",
        config: null,
      },
      {
        kind: "worker",
        name: "note",
        params: ["i32", "i32"],
        results: [],
        moduleUrl: tickUrl,
        exportName: "createNote",
        config: null,
      },
    ],
  };
}

/** (a) host-call round trip and (b) in-worker import call. */
async function bridge(tickUrl: string): Promise<Row[]> {
  const runtime = new WasmRuntime({ workerPoolSize: 1 });
  try {
    const arrivals: number[] = [];
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, { timeoutMs: 600_000 }, [
      noopRegistrar(arrivals, tickUrl),
    ]);
    const roundTrips: number[] = [];
    await instance.callExport("loop", CALLS_PER_BATCH); // warm-up
    for (let b = 0; b < BATCHES; b++) {
      arrivals.length = 0;
      await instance.callExport("loop", CALLS_PER_BATCH);
      // Between two arrivals: host answers, guest resumes and calls again, host wakes: one round trip.
      for (let i = 1; i < arrivals.length; i++) roundTrips.push((arrivals[i]! - arrivals[i - 1]!) * 1000);
    }
    const rt = median(roundTrips);
    const tickCalls = 2_000_000;
    await instance.callExport("ticks", 100_000);
    const perTick: number[] = [];
    for (let b = 0; b < 5; b++) {
      const t0 = performance.now();
      await instance.callExport("ticks", tickCalls);
      perTick.push(((performance.now() - t0) * 1000) / tickCalls);
    }
    await instance.dispose();
    const tick = median(perTick);
    return [
      {
        figure: "(a) request host call round trip, median",
        value: `${rt.toFixed(2)} µs`,
        baseline: "goal 15 µs",
        ratio: `${(rt / 15).toFixed(2)}× goal`,
        goal: "≤ 15 µs",
        met: rt <= 15,
      },
      {
        figure: "(b) in-worker value import call",
        value: `${tick.toFixed(3)} µs`,
        baseline: "goal 0.2 µs",
        ratio: `${(tick / 0.2).toFixed(2)}× goal`,
        goal: "≤ 0.2 µs",
        met: tick <= 0.2,
      },
    ];
  } finally {
    await runtime.close();
  }
}

/** Bare: new WebAssembly.Instance + alloc + evaluate + decode, in this thread, no isolation. */
function bareRate(module: WebAssembly.Module, ms: number): number {
  let n = 0;
  const started = performance.now();
  const until = started + ms;
  while (performance.now() < until) {
    for (let k = 0; k < 20; k++) {
      const instance = new WebAssembly.Instance(module, {});
      const exports = instance.exports as {
        memory: WebAssembly.Memory;
        alloc(n: number): number;
        evaluate(p: number, l: number): bigint;
      };
      const encoded = encodeEvaluationInput(input);
      const ptr = exports.alloc(encoded.length);
      new Uint8Array(exports.memory.buffer, ptr, encoded.length).set(encoded);
      const packed = exports.evaluate(ptr, encoded.length);
      const outPtr = Number(packed & 0xffff_ffffn);
      const outLen = Number(packed >> 32n);
      decodeEvaluationOutput(new Uint8Array(exports.memory.buffer, outPtr, outLen).slice());
      n++;
    }
  }
  return n / ((performance.now() - started) / 1000);
}

/** Pooled: instantiate → evaluate → dispose, a fresh instance each, `concurrency` loops at once. */
async function pooledRate(
  runtime: WasmRuntime,
  module: WasmModule,
  concurrency: number,
  ms: number,
): Promise<number> {
  let n = 0;
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const instance = await runtime.instantiate(module, {}, []);
        await instance.evaluate(input);
        await instance.dispose();
        n++;
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

/**
 * (c) Bare and pooled are measured in alternating short rounds so load from other processes on the
 * machine hits both alike; the ratio is the median of per-round ratios.
 */
async function throughput(): Promise<Row[]> {
  const bytes = loadFixture("rt-echo");
  const runtime = new WasmRuntime({ workerPoolSize: 2, maxInstances: 8 });
  try {
    const module = await runtime.compileModule(bytes);
    const bareModule = new WebAssembly.Module(bytes);
    await pooledRate(runtime, module, CONCURRENCY, 500); // warm-up (JIT, pool)
    bareRate(bareModule, 300);
    const pooled: number[] = [];
    const bare: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < THROUGHPUT_ROUNDS; r++) {
      const b = bareRate(bareModule, THROUGHPUT_ROUND_MS);
      const p = await pooledRate(runtime, module, CONCURRENCY, THROUGHPUT_ROUND_MS);
      bare.push(b);
      pooled.push(p);
      ratios.push(p / b);
    }
    const ratio = median(ratios);
    return [
      {
        figure: `(c) evaluations/s, fresh instance each, pool of 2, ${CONCURRENCY} concurrent`,
        value: `${median(pooled).toFixed(0)}/s`,
        baseline: `bare in-thread ${median(bare).toFixed(0)}/s`,
        ratio: `${ratio.toFixed(2)}× bare`,
        goal: "≥ 0.5× bare",
        met: ratio >= 0.5,
      },
    ];
  } finally {
    await runtime.close();
  }
}

/** Start of an empty worker thread (to its first message): the floor under any isolated cold start. */
async function bareWorkerStart(): Promise<number> {
  const t0 = performance.now();
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(1)", {
    eval: true,
    execArgv: [],
  });
  await new Promise((resolve) => worker.once("message", resolve));
  const ms = performance.now() - t0;
  await worker.terminate();
  return ms;
}

async function coldStart(): Promise<Row[]> {
  const bytes = loadFixture("rt-echo");
  const samples: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 5; i++) {
    floor.push(await bareWorkerStart());
    const t0 = performance.now();
    const runtime = new WasmRuntime({ workerPoolSize: 2 });
    const module = await runtime.compileModule(bytes);
    const instance = await runtime.instantiate(module, {}, []);
    await instance.evaluate(input);
    samples.push(performance.now() - t0);
    await instance.dispose();
    await runtime.close();
  }
  const ms = median(samples);
  const bare = median(floor);
  return [
    {
      figure: "(d) cold start: runtime created → first result, median of 5",
      value: `${ms.toFixed(1)} ms`,
      baseline: `empty worker start ${bare.toFixed(1)} ms`,
      ratio: `${(ms / bare).toFixed(2)}× empty worker`,
      goal: "≤ 100 ms",
      met: ms <= 100,
    },
  ];
}

const suite: BenchSuite = {
  name: "runtime",
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), "pw-bench-"));
    const tickFile = path.join(dir, "tick.mjs");
    await writeFile(
      tickFile,
      "export function createTick() { let n = 0n; return () => n++; }\nexport function createNote() { return () => {}; }\n",
    );
    try {
      const rows = [
        ...(await coldStart()),
        ...(await bridge(pathToFileURL(tickFile).href)),
        ...(await throughput()),
      ];
      console.log(
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")} (2 cores shared)`,
      );
      console.table(
        rows.map((r) => ({
          figure: r.figure,
          value: r.value,
          baseline: r.baseline,
          ratio: r.ratio,
          goal: r.goal,
          met: r.met ? "yes" : "NO",
        })),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
