// AssemblyScript SDK codec throughput: a message decoded and re-encoded inside the guest (the SDK codec
// compiled to wasm, plus copying the bytes in and the answer out) against @platform-wasm/wire decoding and
// re-encoding the same bytes on the host. Alternating short rounds on CPU time; the ratio is the median of
// per-round ratios (SDK / host).
//
// Reading the figures: the SDK runs on AssemblyScript's stub runtime, which never reuses memory (a
// challenge instance lives for one evaluation), so every operation here writes to fresh, never-touched
// pages; a profile shows the zero-fill of new buffers (first-touch page faults) dominating large
// messages. That is the price of one-shot instances, paid once per message in a real evaluation, where
// one 64 KiB response costs about a millisecond next to the process execution that produced it.
import { readFileSync } from "node:fs";
import {
  decodeEvaluationInput,
  decodeSandboxExecRequest,
  decodeSandboxExecResponse,
  encodeEvaluationInput,
  encodeSandboxExecRequest,
  encodeSandboxExecResponse,
} from "@platform-wasm/wire";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 15;
const ROUND_MS = 100;
// The SDK uses AssemblyScript's stub runtime (never frees, as a challenge instance lives for one
// evaluation): start a fresh instance when the harness's memory passes this size.
const RECYCLE_BYTES = 16 * 1024 * 1024;

interface Harness {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  roundtrip(kind: number, ptr: number, len: number): bigint;
}

const wasm = new WebAssembly.Module(
  readFileSync(new URL("../../packages/challenge-sdk/build/codecHarness.wasm", import.meta.url)),
);
let harness: Harness | undefined;

function guest(): Harness {
  if (harness === undefined || harness.memory.buffer.byteLength > RECYCLE_BYTES) {
    const instance = new WebAssembly.Instance(wasm, { platform_sandbox: { log_message() {} } });
    harness = instance.exports as unknown as Harness;
  }
  return harness;
}

function sdkRoundtrip(kind: number, bytes: Uint8Array): Uint8Array {
  const h = guest();
  const ptr = h.alloc(bytes.length);
  new Uint8Array(h.memory.buffer, ptr, bytes.length).set(bytes);
  const packed = h.roundtrip(kind, ptr, bytes.length);
  const out = Number(packed & 0xffff_ffffn);
  return new Uint8Array(h.memory.buffer, out + 1, Number(packed >> 32n) - 1).slice();
}

const patterned = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);

const input = encodeEvaluationInput({
  agent_data: patterned(4096),
  challenge_id: "bench-challenge",
  params: new TextEncoder().encode('{"expected":"42"}'),
  task_definition: undefined,
  environment_config: undefined,
});
const response = encodeSandboxExecResponse({
  exit_code: 0,
  stdout: patterned(64 * 1024),
  stderr: new TextEncoder().encode("warning\n"),
  duration_ms: 1234,
  stdout_truncated: false,
  stderr_truncated: false,
  signal: undefined,
});
const request = encodeSandboxExecRequest({
  command: "sh",
  args: ["-c", "read a b; echo $((a + b))"],
  env: { LANG: "C.UTF-8" },
  stdin: new TextEncoder().encode("2 3\n"),
  working_directory: undefined,
});

interface Case {
  readonly name: string;
  readonly sdk: () => unknown;
  readonly host: () => unknown;
}

// Kinds as in packages/challenge-sdk/assembly/test/codecHarness.ts.
const cases: Case[] = [
  {
    name: `EvaluationInput, 4 KiB agent_data (${input.length} B)`,
    sdk: () => sdkRoundtrip(10, input),
    host: () => encodeEvaluationInput(decodeEvaluationInput(input)),
  },
  {
    name: `SandboxExecResponse, 64 KiB stdout (${response.length} B)`,
    sdk: () => sdkRoundtrip(1, response),
    host: () => encodeSandboxExecResponse(decodeSandboxExecResponse(response)),
  },
  {
    name: `SandboxExecRequest, small (${request.length} B)`,
    sdk: () => sdkRoundtrip(0, request),
    host: () => encodeSandboxExecRequest(decodeSandboxExecRequest(request)),
  },
];

let sink: unknown;

/** Runs `fn` for about `ms` of this process's CPU time; returns ops per CPU second. */
function opsPerSecond(fn: () => unknown, ms: number): number {
  let ops = 0;
  let batch = 1;
  const start = process.cpuUsage();
  let micros = 0;
  while (micros < ms * 1000) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    if (batch < 256) batch *= 2;
    const used = process.cpuUsage(start);
    micros = used.user + used.system;
  }
  return ops / (micros / 1e6);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const suite: BenchSuite = {
  name: "challengeSdk",
  async run() {
    const rows: Record<string, string | number>[] = [];
    for (const c of cases) {
      // The SDK must produce the host's bytes, or the comparison is meaningless.
      const sdkBytes = Buffer.from(c.sdk() as Uint8Array);
      if (!sdkBytes.equals(Buffer.from(c.host() as Uint8Array)))
        throw new Error(`${c.name}: SDK bytes differ`);
      opsPerSecond(c.sdk, 200);
      opsPerSecond(c.host, 200);
      const sdk: number[] = [];
      const host: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const sdkFirst = r % 2 === 0;
        const a = opsPerSecond(sdkFirst ? c.sdk : c.host, ROUND_MS);
        const b = opsPerSecond(sdkFirst ? c.host : c.sdk, ROUND_MS);
        sdk.push(sdkFirst ? a : b);
        host.push(sdkFirst ? b : a);
      }
      rows.push({
        case: c.name,
        "SDK (wasm) ops/s": Math.round(median(sdk)),
        "wire (host) ops/s": Math.round(median(host)),
        "SDK / host": Number(median(sdk.map((s, i) => s / host[i]!)).toFixed(3)),
      });
    }
    void sink;
    console.table(rows);
    console.log(
      `(decode + re-encode of the same bytes; SDK includes copying in/out of guest memory; median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms CPU each side, Node ${process.version})`,
    );
  },
};

export default suite;
