// Wire codec throughput: validated encode+decode of ABI messages against raw msgpackr pack+unpack of the
// same objects, in the same process. The two are measured in alternating short rounds so that load from
// other processes on the machine hits both alike; the ratio reported is the median of per-round ratios.
import {
  decodeSandboxExecRequest,
  decodeSandboxExecResponse,
  encodeSandboxExecRequest,
  encodeSandboxExecResponse,
  type SandboxExecRequest,
  type SandboxExecResponse,
} from "@platform-wasm/wire";
import { pack, unpack } from "msgpackr";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 31;
const ROUND_MS = 100;
const GOAL = 0.8;

interface Case {
  readonly name: string;
  readonly ours: () => unknown;
  readonly raw: () => unknown;
}

const stdout = new Uint8Array(1024 * 1024);
for (let i = 0; i < stdout.length; i++) stdout[i] = (i * 31) & 0xff;

const bigResponse: SandboxExecResponse = {
  exit_code: 0,
  stdout,
  stderr: new TextEncoder().encode("warning: something on stderr\n"),
  duration_ms: 1234,
  stdout_truncated: false,
  stderr_truncated: false,
  signal: undefined,
};

const smallRequest: SandboxExecRequest = {
  command: "python3",
  args: ["-c", "print(1 + 1)", "--verbose"],
  env: { LANG: "C.UTF-8", HOME: "/tmp/sandbox" },
  stdin: new TextEncoder().encode("input line\n"),
  working_directory: "/tmp/sandbox/work",
};

// Raw msgpackr cannot express None as nil without help; give it the same value with `null`, which is what
// it would have to be handed to produce comparable bytes.
const rawResponse = { ...bigResponse, signal: null };
const rawRequest = { ...smallRequest };

let sink: unknown;

const cases: Case[] = [
  {
    name: "SandboxExecResponse, 1 MiB stdout",
    ours: () => decodeSandboxExecResponse(encodeSandboxExecResponse(bigResponse)),
    raw: () => unpack(pack(rawResponse)),
  },
  {
    name: "SandboxExecRequest, small",
    ours: () => decodeSandboxExecRequest(encodeSandboxExecRequest(smallRequest)),
    raw: () => unpack(pack(rawRequest)),
  },
];

/** Operations done and CPU microseconds they took. */
interface Sample {
  readonly ops: number;
  readonly cpuMicros: number;
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds of this process's CPU time. CPU time rather than wall
 * time: on a shared machine a wall clock also counts the time other processes held the core, which has
 * nothing to do with either codec.
 */
function measure(fn: () => unknown, ms: number): Sample {
  let ops = 0;
  let batch = 1;
  const start = process.cpuUsage();
  const budget = ms * 1000;
  let cpuMicros = 0;
  while (cpuMicros < budget) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    if (batch < 1024) batch *= 2;
    const used = process.cpuUsage(start);
    cpuMicros = used.user + used.system;
  }
  return { ops, cpuMicros };
}

const rate = (samples: readonly Sample[]): number =>
  samples.reduce((n, s) => n + s.ops, 0) / (samples.reduce((n, s) => n + s.cpuMicros, 0) / 1e6);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const suite: BenchSuite = {
  name: "wire",
  async run() {
    const rows: Record<string, string | number>[] = [];
    for (const c of cases) {
      // Warm up both paths (JIT, msgpackr's growing pack buffer).
      measure(c.ours, 200);
      measure(c.raw, 200);
      const ours: Sample[] = [];
      const raw: Sample[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which side runs first so neither always gets the warmer cache.
        const oursFirst = r % 2 === 0;
        const first = measure(oursFirst ? c.ours : c.raw, ROUND_MS);
        const second = measure(oursFirst ? c.raw : c.ours, ROUND_MS);
        const o = oursFirst ? first : second;
        const w = oursFirst ? second : first;
        ours.push(o);
        raw.push(w);
        ratios.push(rate([o]) / rate([w]));
      }
      // Headline: the median of per-round ratios, robust to the rounds in which a GC of the other side's
      // garbage or a coarse CPU-accounting tick landed. The ratio of total ops over total CPU time of each
      // side is printed beside it as a cross-check.
      const ratio = median(ratios);
      const aggregate = rate(ours) / rate(raw);
      rows.push({
        case: c.name,
        "wire ops/s": Math.round(rate(ours)),
        "raw msgpackr ops/s": Math.round(rate(raw)),
        ratio: Number(ratio.toFixed(3)),
        "aggregate ratio": Number(aggregate.toFixed(3)),
        goal: `>= ${GOAL}`,
        met: ratio >= GOAL ? "yes" : "NO",
      });
    }
    void sink;
    console.table(rows);
    console.log(
      `(validated encode+decode vs raw msgpackr pack+unpack of the same object; ops per CPU second over ${ROUNDS} alternating rounds of ${ROUND_MS} ms each side, Node ${process.version})`,
    );
  },
};

export default suite;
