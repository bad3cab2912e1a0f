// Parity with @platform-wasm/wire, the host's codec: for arbitrary values of every ABI type, the host's
// typed encoder and the SDK (decode, then re-encode inside the guest) produce the same bytes.
import {
  encodeDnsEnvelope,
  encodeDnsRequest,
  encodeDnsResponse,
  encodeEvaluationInput,
  encodeEvaluationOutput,
  encodeHttpEnvelope,
  encodeHttpGetRequest,
  encodeHttpPostRequest,
  encodeHttpRequest,
  encodeHttpResponse,
  encodeNetworkError,
  encodeSandboxError,
  encodeSandboxExecEnvelope,
  encodeSandboxExecRequest,
  encodeSandboxExecResponse,
  type HttpMethod,
  type NetworkError,
  type SandboxError,
} from "@platform-wasm/wire";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CodecHarness, type KindName } from "./support/codecHarness.js";

let harness: CodecHarness;
beforeAll(async () => {
  harness = await CodecHarness.load();
});

function same(kind: KindName, hostBytes: Uint8Array): void {
  const result = harness.roundtrip(kind, hostBytes);
  if (!result.ok) throw new Error(`SDK rejected host ${kind}: ${result.error}`);
  expect(Buffer.from(result.bytes).toString("hex")).toBe(Buffer.from(hostBytes).toString("hex"));
}

const str = fc.string({ unit: "binary", maxLength: 80 });
const bin = fc.uint8Array({ maxLength: 600 });
const dict = fc.dictionary(fc.string({ maxLength: 20 }), str, { maxKeys: 18 });
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const u64 = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.maxSafeNat());

const sandboxError: fc.Arbitrary<SandboxError> = fc.oneof(
  fc.constant("SandboxDisabled" as const),
  str.map((s) => ({ CommandNotAllowed: s })),
  u64.map((n) => ({ Timeout: n })),
  u64.map((n) => ({ OutputTooLarge: n })),
  str.map((s) => ({ ExecutionFailed: s })),
  str.map((s) => ({ PolicyViolation: s })),
  str.map((s) => ({ LimitExceeded: s })),
  str.map((s) => ({ IsolationUnavailable: s })),
  str.map((s) => ({ InvalidRequest: s })),
);
const networkError: fc.Arbitrary<NetworkError> = fc.oneof(
  fc.constant("NetworkDisabled" as const),
  fc.constant("Timeout" as const),
  str.map((s) => ({ PolicyViolation: s })),
  str.map((s) => ({ LimitExceeded: s })),
  str.map((s) => ({ DnsFailure: s })),
  str.map((s) => ({ HttpFailure: s })),
  str.map((s) => ({ InvalidRequest: s })),
);
const execResponse = fc.record({
  exit_code: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  stdout: bin,
  stderr: bin,
  duration_ms: u64,
  stdout_truncated: fc.boolean(),
  stderr_truncated: fc.boolean(),
  signal: opt(str),
});
const httpResponse = fc.record({ status: fc.integer({ min: 0, max: 65535 }), headers: dict, body: bin });
const dnsResponse = fc.record({ records: fc.array(str, { maxLength: 10 }) });
const method = fc.constantFrom<HttpMethod>("get", "post", "put", "patch", "delete", "head", "options");
const runs = { numRuns: 60 };

describe("SDK codec ⇄ @platform-wasm/wire", () => {
  it("sandbox messages", () => {
    fc.assert(
      fc.property(
        fc.record({
          command: str,
          args: fc.array(str, { maxLength: 20 }),
          env: dict,
          stdin: opt(bin),
          working_directory: opt(str),
        }),
        (v) => same("SandboxExecRequest", encodeSandboxExecRequest(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(execResponse, (v) => same("SandboxExecResponse", encodeSandboxExecResponse(v))),
      runs,
    );
    fc.assert(
      fc.property(sandboxError, (v) => same("SandboxError", encodeSandboxError(v))),
      runs,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          execResponse.map((Ok) => ({ Ok })),
          sandboxError.map((Err) => ({ Err })),
        ),
        (v) => same("SandboxEnvelope", encodeSandboxExecEnvelope(v)),
      ),
      runs,
    );
  });

  it("network messages", () => {
    fc.assert(
      fc.property(fc.record({ method, url: str, headers: dict, body: bin }), (v) =>
        same("HttpRequest", encodeHttpRequest(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(fc.record({ url: str, headers: dict }), (v) =>
        same("HttpGetRequest", encodeHttpGetRequest(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(fc.record({ url: str, headers: dict, body: bin }), (v) =>
        same("HttpPostRequest", encodeHttpPostRequest(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(httpResponse, (v) => same("HttpResponse", encodeHttpResponse(v))),
      runs,
    );
    fc.assert(
      fc.property(
        fc.record({ hostname: str, record_type: fc.constantFrom("a", "aaaa", "cname", "txt" as const) }),
        (v) => same("DnsRequest", encodeDnsRequest(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(dnsResponse, (v) => same("DnsResponse", encodeDnsResponse(v))),
      runs,
    );
    fc.assert(
      fc.property(networkError, (v) => same("NetworkError", encodeNetworkError(v))),
      runs,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          httpResponse.map((Ok) => ({ Ok })),
          networkError.map((Err) => ({ Err })),
        ),
        (v) => same("HttpEnvelope", encodeHttpEnvelope(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          dnsResponse.map((Ok) => ({ Ok })),
          networkError.map((Err) => ({ Err })),
        ),
        (v) => same("DnsEnvelope", encodeDnsEnvelope(v)),
      ),
      runs,
    );
  });

  it("evaluation messages", () => {
    fc.assert(
      fc.property(
        fc.record({
          agent_data: bin,
          challenge_id: str,
          params: bin,
          task_definition: opt(bin),
          environment_config: opt(bin),
        }),
        (v) => same("EvaluationInput", encodeEvaluationInput(v)),
      ),
      runs,
    );
    fc.assert(
      fc.property(
        fc.record({
          score: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
          valid: fc.boolean(),
          message: str,
          metrics: opt(bin),
        }),
        (v) => same("EvaluationOutput", encodeEvaluationOutput(v)),
      ),
      runs,
    );
  });
});
