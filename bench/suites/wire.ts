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

const ROUNDS = 15;
const ROUND_MS = 120;
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

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
function opsPerSecond(fn: () => unknown, ms: number): number {
  let iterations = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink = fn();
    iterations += batch;
    if (batch < 1024) batch *= 2;
    elapsed = process.hrtime.bigint() - start;
  }
  return iterations / (Number(elapsed) / 1e9);
}

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
      opsPerSecond(c.ours, 200);
      opsPerSecond(c.raw, 200);
      const ours: number[] = [];
      const raw: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which side runs first so neither always gets the warmer cache.
        const [a, b] = r % 2 === 0 ? [c.ours, c.raw] : [c.raw, c.ours];
        const first = opsPerSecond(a, ROUND_MS);
        const second = opsPerSecond(b, ROUND_MS);
        const o = r % 2 === 0 ? first : second;
        const w = r % 2 === 0 ? second : first;
        ours.push(o);
        raw.push(w);
        ratios.push(o / w);
      }
      const ratio = median(ratios);
      rows.push({
        case: c.name,
        "wire ops/s": Math.round(median(ours)),
        "raw msgpackr ops/s": Math.round(median(raw)),
        ratio: Number(ratio.toFixed(3)),
        goal: `>= ${GOAL}`,
        met: ratio >= GOAL ? "yes" : "NO",
      });
    }
    void sink;
    console.table(rows);
    console.log(
      `(validated encode+decode vs raw msgpackr pack+unpack of the same object; median of ${ROUNDS} alternating ${ROUND_MS} ms rounds, Node ${process.version})`,
    );
  },
};

export default suite;
