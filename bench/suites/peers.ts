// Side by side with Extism's JavaScript host (@extism/extism): the same trivial plugin logic built once for
// our ABI (guest-fixtures peer-ours.wat) and once for Extism's (peer-extism.wat), both isolated in worker
// threads, measured in one process run. Run: `cd bench && node --import tsx run.ts peers`.
import createPlugin, { type CallContext, type Plugin } from "@extism/extism";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { type HostFunctionRegistrar, WasmRuntime } from "@platform-wasm/runtime";
import type { EvaluationInput } from "@platform-wasm/wire";
import type { BenchSuite } from "../suite.js";

const WINDOW_MS = 2_000;
const HOST_CALLS = 1_000; // per `call_host` invocation, fixed in both plugins

const input: EvaluationInput = {
  agent_data: new Uint8Array([1, 2, 3]),
  challenge_id: "peers",
  params: new Uint8Array(),
  task_definition: undefined,
  environment_config: undefined,
};

/** Host-side arrival time of every no-op host call, for per-call round trips (reset per measurement). */
const arrivals: number[] = [];

/** `platform_bench.noop`: a request import that answers `{"Ok": nil}` at once. */
const noopRegistrar: HostFunctionRegistrar<null> = {
  namespace: "platform_bench",
  createState: () => null,
  imports: [
    {
      kind: "request",
      name: "noop",
      handle: async () => {
        arrivals.push(performance.now());
        return { Ok: null };
      },
    },
  ],
};

const extismFunctions = {
  "extism:host/user": {
    noop: (_ctx: CallContext, x: bigint) => {
      arrivals.push(performance.now());
      return x;
    },
  },
};

/** Runs `op` (HOST_CALLS back-to-back host calls) and returns the gaps between arrivals, µs. */
async function roundTrips(op: () => Promise<unknown>): Promise<number[]> {
  arrivals.length = 0;
  await op();
  const gaps: number[] = [];
  for (let i = 1; i < arrivals.length; i++) gaps.push((arrivals[i]! - arrivals[i - 1]!) * 1000);
  return gaps;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

async function extismPlugin(wasm: Uint8Array): Promise<Plugin> {
  // Extism's worker is a data: URL whose sourceMappingURL is relative. Workers inherit this process's
  // `--import tsx`, which turns source maps on, and Node then fails to load that worker: start Extism's
  // workers without the bench runner's loader flags.
  const saved = process.execArgv;
  process.execArgv = [];
  try {
    return await createPlugin(
      { wasm: [{ data: wasm }] },
      { useWasi: false, runInWorker: true, functions: extismFunctions },
    );
  } finally {
    process.execArgv = saved;
  }
}

/** Runs `op` back to back for WINDOW_MS and returns operations per second. */
async function rate(op: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const until = performance.now() + WINDOW_MS;
  while (performance.now() < until) {
    await op();
    n++;
  }
  return n / (WINDOW_MS / 1000);
}

interface Row {
  figure: string;
  ours: string;
  extism: string;
  "ours vs extism": string;
}

function row(figure: string, ours: number, extism: number, unit: string, higherIsBetter: boolean): Row {
  const ratio = higherIsBetter ? ours / extism : extism / ours;
  return {
    figure,
    ours: `${ours.toFixed(unit === "/s" ? 0 : 1)} ${unit}`,
    extism: `${extism.toFixed(unit === "/s" ? 0 : 1)} ${unit}`,
    "ours vs extism": `${ratio.toFixed(1)}× ${higherIsBetter ? "the rate" : "faster"}`,
  };
}

const suite: BenchSuite = {
  name: "peers",
  async run() {
    const oursWasm = loadFixture("peer-ours");
    const extismWasm = loadFixture("peer-extism");
    const rows: Row[] = [];

    // Cold start: host created → first result, including each host's worker start.
    const t0 = performance.now();
    const runtime = new WasmRuntime({ workerPoolSize: 1, maxInstances: 1 });
    const module = await runtime.compileModule(oursWasm);
    const first = await runtime.instantiate(module, { timeoutMs: 600_000 }, [noopRegistrar]);
    await first.evaluate(input);
    const oursCold = performance.now() - t0;
    const t1 = performance.now();
    const plugin = await extismPlugin(extismWasm);
    await plugin.call("run", "");
    const extismCold = performance.now() - t1;
    rows.push(row("time to first result (cold start)", oursCold, extismCold, "ms", false));

    try {
      // Reusing one instance.
      const oursReuse = await rate(() => first.evaluate(input));
      const extismReuse = await rate(() => plugin.call("run", ""));
      rows.push(row("calls/s reusing an instance", oursReuse, extismReuse, "/s", true));

      // Host-function round trip across each host's worker bridge: the median gap between two arrivals
      // at the host (answer, guest resumes, next call), and the mean over whole runs (includes stalls).
      await first.callExport("call_host", HOST_CALLS);
      await plugin.call("call_host", "");
      const oursGaps: number[] = [];
      const extismGaps: number[] = [];
      for (let i = 0; i < 5; i++) {
        oursGaps.push(...(await roundTrips(() => first.callExport("call_host", HOST_CALLS))));
        extismGaps.push(...(await roundTrips(() => plugin.call("call_host", ""))));
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      rows.push(
        row("no-op host function round trip, median", median(oursGaps), median(extismGaps), "µs", false),
      );
      rows.push(row("no-op host function round trip, mean", mean(oursGaps), mean(extismGaps), "µs", false));
      rows.push(
        row(
          "no-op host function round trip, worst",
          Math.max(...oursGaps),
          Math.max(...extismGaps),
          "µs",
          false,
        ),
      );
    } finally {
      await first.dispose();
      await plugin.close();
    }

    // A fresh instance per call. Ours reuses pooled workers; Extism starts a worker per plugin.
    const oursFresh = await rate(async () => {
      const instance = await runtime.instantiate(module, {}, [noopRegistrar]);
      await instance.evaluate(input);
      await instance.dispose();
    });
    const extismFresh = await rate(async () => {
      const p = await extismPlugin(extismWasm);
      await p.call("run", "");
      await p.close();
    });
    rows.push(row("calls/s with a fresh instance per call", oursFresh, extismFresh, "/s", true));
    await runtime.close();
    console.table(rows);
  },
};

export default suite;
