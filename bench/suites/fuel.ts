// Fuel metering overhead: the same CPU-bound guest (fuel-hash: an FNV-1a hash loop and an insertion sort,
// in WAT) run unmetered and metered in the same process. Calls alternate in short rounds so load from other
// processes hits both alike; the reported ratio is the median of per-round ratios. Also prints the
// transform's own cost (time and size growth). Goal: metered ≤ 1.5 × unmetered wall time.
import { loadFixture } from "@platform-wasm/guest-fixtures";
// The transform is internal to @platform-wasm/runtime (the runtime applies it when fuel is on); the bench
// measures it directly, from source, to isolate metering from worker and bridge costs.
import { FUEL_GLOBAL_EXPORT, meterModule } from "../../packages/runtime/src/internal/fuel/meter.js";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 15;
const GOAL = 1.5;

interface Workload {
  readonly name: string;
  readonly exportName: string;
  readonly args: readonly number[];
}

const workloads: readonly Workload[] = [
  { name: "FNV-1a hash, 64 KiB × 32 rounds", exportName: "hash", args: [0x1234567, 16384, 32] },
  { name: "insertion sort, 3000 i32", exportName: "sort", args: [42, 3000] },
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
    const plainBytes = loadFixture("fuel-hash");
    const transformMs = median(Array.from({ length: 21 }, () => time(() => meterModule(plainBytes))));
    const meteredBytes = meterModule(plainBytes);
    const plain = instantiate(plainBytes);
    const metered = instantiate(meteredBytes);
    const fuel = metered[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
    const budget = 1n << 62n;
    console.log(
      `transform: ${transformMs.toFixed(3)} ms for ${plainBytes.length} B → ${meteredBytes.length} B ` +
        `(×${(meteredBytes.length / plainBytes.length).toFixed(2)} size)`,
    );
    console.log("| workload | unmetered median ms | metered median ms | ratio (median of rounds) | fuel | goal |");
    console.log("|---|---|---|---|---|---|");
    for (const w of workloads) {
      const runPlain = () => (plain[w.exportName] as GuestFn)(...w.args);
      const runMetered = () => {
        fuel.value = budget;
        return (metered[w.exportName] as GuestFn)(...w.args);
      };
      // Warm up both so each reaches the optimizing tier, and check they agree.
      for (let i = 0; i < 5; i++) {
        if (runPlain() !== runMetered()) throw new Error(`${w.name}: metered result differs`);
      }
      fuel.value = budget;
      runMetered();
      const consumed = budget - (fuel.value as bigint);
      const plainTimes: number[] = [];
      const meteredTimes: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first so neither always benefits from a warm cache.
        const first = round % 2 === 0;
        const a = first ? time(runPlain) : 0;
        const m = time(runMetered);
        const b = first ? a : time(runPlain);
        plainTimes.push(b);
        meteredTimes.push(m);
        ratios.push(m / b);
      }
      const ratio = median(ratios);
      console.log(
        `| ${w.name} | ${median(plainTimes).toFixed(2)} | ${median(meteredTimes).toFixed(2)} | ` +
          `${ratio.toFixed(3)}× | ${consumed} | ${ratio <= GOAL ? "met" : "MISSED"} (≤ ${GOAL}×) |`,
      );
    }
  },
};

export default suite;
