// Fuel metering overhead: CPU-bound guests (fuel-hash: an FNV-1a hash loop and an insertion sort;
// fuel-recursion: recursive fib, call-heavy) run unmetered and metered in the same process, on this
// thread. Calls alternate (unmetered, metered) for many short pairs so load from other processes hits both
// alike; reported: the minimum and median time of each, the ratio of minimums (least disturbed by load)
// and the median of per-pair ratios. Also prints the transform's own cost. Goal: metered ≤ 1.5× unmetered.
import { loadFixture } from "@platform-wasm/guest-fixtures";
// The transform is internal to @platform-wasm/runtime (the runtime applies it when fuel is on); the bench
// measures it directly, from source, to isolate metering from worker and bridge costs.
import { FUEL_GLOBAL_EXPORT, meterModule } from "../../packages/runtime/src/internal/fuel/meter.js";
import type { BenchSuite } from "../suite.js";

const PAIRS = 200;
const WARMUP = 30;
const GOAL = 1.5;

interface Workload {
  readonly name: string;
  readonly fixture: string;
  readonly exportName: string;
  readonly args: readonly number[];
}

const workloads: readonly Workload[] = [
  {
    name: "FNV-1a hash, 16 KiB × 4 rounds",
    fixture: "fuel-hash",
    exportName: "hash",
    args: [0x1234567, 4096, 4],
  },
  { name: "insertion sort, 1000 i32", fixture: "fuel-hash", exportName: "sort", args: [42, 1000] },
  { name: "recursive fib(20) (calls)", fixture: "fuel-recursion", exportName: "fib", args: [20] },
];

type GuestFn = (...args: number[]) => number;

function instantiate(bytes: Uint8Array): Record<string, unknown> {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<
    string,
    unknown
  >;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const suite: BenchSuite = {
  name: "fuel",
  async run() {
    console.log("| module | bytes | metered bytes | transform median ms |");
    console.log("|---|---|---|---|");
    for (const fixture of new Set(workloads.map((w) => w.fixture))) {
      const bytes = loadFixture(fixture);
      const ms = median(Array.from({ length: 31 }, () => time(() => meterModule(bytes))));
      console.log(`| ${fixture} | ${bytes.length} | ${meterModule(bytes).length} | ${ms.toFixed(3)} |`);
    }
    console.log("");
    console.log(
      "| workload | unmetered min / median ms | metered min / median ms | ratio of mins | median pair ratio | fuel | goal ≤ 1.5× |",
    );
    console.log("|---|---|---|---|---|---|---|");
    for (const w of workloads) {
      const bytes = loadFixture(w.fixture);
      const plain = instantiate(bytes);
      const metered = instantiate(meterModule(bytes));
      const fuel = metered[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
      const budget = 1n << 62n;
      const runPlain = () => (plain[w.exportName] as GuestFn)(...w.args);
      const runMetered = () => {
        fuel.value = budget;
        return (metered[w.exportName] as GuestFn)(...w.args);
      };
      // Warm up both into the optimizing tier, and check they agree.
      for (let i = 0; i < WARMUP; i++) {
        if (runPlain() !== runMetered()) throw new Error(`${w.name}: metered result differs`);
      }
      runMetered();
      const consumed = budget - (fuel.value as bigint);
      const plainTimes: number[] = [];
      const meteredTimes: number[] = [];
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        const p = time(runPlain);
        const m = time(runMetered);
        plainTimes.push(p);
        meteredTimes.push(m);
        ratios.push(m / p);
      }
      const ratioOfMins = Math.min(...meteredTimes) / Math.min(...plainTimes);
      console.log(
        `| ${w.name} | ${Math.min(...plainTimes).toFixed(3)} / ${median(plainTimes).toFixed(3)} | ` +
          `${Math.min(...meteredTimes).toFixed(3)} / ${median(meteredTimes).toFixed(3)} | ` +
          `${ratioOfMins.toFixed(3)}× | ${median(ratios).toFixed(3)}× | ${consumed} | ` +
          `${ratioOfMins <= GOAL ? "met" : "MISSED"} |`,
      );
    }
  },
};

export default suite;
