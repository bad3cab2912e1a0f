// The SDK's AssemblyScript codec, compiled into build/codecHarness.wasm, checked byte for byte against an
// independent rmp-compatible encoder (@msgpack/msgpack writes the same smallest forms as Rust rmp-serde)
// and against hand-written hostile inputs.
import { encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CodecHarness, type KindName } from "./support/codecHarness.js";

let harness: CodecHarness;
beforeAll(async () => {
  harness = await CodecHarness.load();
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function expectCanonical(kind: KindName, value: unknown): void {
  const wire = encode(value);
  const result = harness.roundtrip(kind, wire);
  if (!result.ok) throw new Error(`SDK rejected ${kind}: ${result.error}`);
  expect(Buffer.from(result.bytes).toString("hex")).toBe(Buffer.from(wire).toString("hex"));
}

const hex = (data: Uint8Array): string => Buffer.from(data).toString("hex");
const unhex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));

function expectSame(kind: KindName, wireHex: string): void {
  const result = harness.roundtrip(kind, unhex(wireHex));
  if (!result.ok) throw new Error(`SDK rejected ${kind}: ${result.error}`);
  expect(hex(result.bytes)).toBe(wireHex);
}

const execRequest = {
  command: "python3",
  args: ["-c", "print('hello')"],
  env: { LANG: "C.UTF-8", HOME: "/tmp" },
  stdin: bytes("input\n"),
  working_directory: null,
};

const execResponse = {
  exit_code: -1,
  stdout: new Uint8Array(70_000).fill(0x61),
  stderr: bytes("warn"),
  duration_ms: 2 ** 40,
  stdout_truncated: true,
  stderr_truncated: false,
  signal: "SIGKILL",
};

describe("SDK codec: canonical encoding", () => {
  it("re-encodes every ABI message exactly as the host encodes it", () => {
    expectCanonical("SandboxExecRequest", execRequest);
    expectCanonical("SandboxExecRequest", { ...execRequest, stdin: null, working_directory: "work/dir" });
    expectCanonical("SandboxExecResponse", execResponse);
    expectCanonical("SandboxExecResponse", {
      ...execResponse,
      exit_code: 0,
      signal: null,
      stdout: bytes(""),
    });
    for (const method of ["get", "post", "put", "patch", "delete", "head", "options"]) {
      expectCanonical("HttpRequest", {
        method,
        url: "https://example.com/a?b=c",
        headers: { accept: "application/json" },
        body: bytes("{}"),
      });
    }
    expectCanonical("HttpGetRequest", { url: "http://127.0.0.1:8080/x", headers: {} });
    expectCanonical("HttpPostRequest", { url: "http://h/", headers: { a: "b" }, body: new Uint8Array(300) });
    expectCanonical("HttpResponse", {
      status: 65535,
      headers: { "content-type": "text/plain" },
      body: bytes("ok"),
    });
    expectCanonical("DnsRequest", { hostname: "example.com", record_type: "aaaa" });
    expectCanonical("DnsResponse", { records: ["192.0.2.1", "2001:db8::1"] });
    expectCanonical("EvaluationInput", {
      agent_data: bytes('{"answer":"42"}'),
      challenge_id: "challenge-é✓😀",
      params: new Uint8Array(0),
      task_definition: null,
      environment_config: bytes("env"),
    });
    for (const score of [
      0,
      1,
      127,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
    ]) {
      expectCanonical("EvaluationOutput", { score, valid: score > 0, message: "m", metrics: null });
    }
    expectCanonical("EvaluationOutput", {
      score: -(2 ** 40),
      valid: false,
      message: "x".repeat(40),
      metrics: bytes("{}"),
    });
  });

  it("encodes 64-bit integers in rmp's smallest form", () => {
    // uint64 above i64::MAX (duration_ms) and the int64 minimum (score), patched into host encodings.
    const response = hex(encode({ ...execResponse, stdout: bytes(""), duration_ms: 0 }));
    const durationKey = hex(encode("duration_ms"));
    expectSame(
      "SandboxExecResponse",
      response.replace(`${durationKey}00`, `${durationKey}cfffffffffffffffff`),
    );
    const output = hex(encode({ score: 0, valid: true, message: "", metrics: null }));
    const scoreKey = hex(encode("score"));
    expectSame("EvaluationOutput", output.replace(`${scoreKey}00`, `${scoreKey}d38000000000000000`));
    expectSame("EvaluationOutput", output.replace(`${scoreKey}00`, `${scoreKey}cf7fffffffffffffff`));
  });

  it("encodes every error variant as an externally tagged enum", () => {
    expectCanonical("SandboxError", "SandboxDisabled");
    for (const name of [
      "CommandNotAllowed",
      "ExecutionFailed",
      "PolicyViolation",
      "LimitExceeded",
      "IsolationUnavailable",
      "InvalidRequest",
    ]) {
      expectCanonical("SandboxError", { [name]: `${name} detail` });
    }
    expectCanonical("SandboxError", { Timeout: 30_000 });
    expectCanonical("SandboxError", { OutputTooLarge: 2 ** 33 });
    expectCanonical("NetworkError", "NetworkDisabled");
    expectCanonical("NetworkError", "Timeout");
    for (const name of ["PolicyViolation", "LimitExceeded", "DnsFailure", "HttpFailure", "InvalidRequest"]) {
      expectCanonical("NetworkError", { [name]: "why" });
    }
  });

  it("reads result envelopes", () => {
    expectCanonical("SandboxEnvelope", { Ok: execResponse });
    expectCanonical("SandboxEnvelope", { Err: { CommandNotAllowed: "rm" } });
    expectCanonical("HttpEnvelope", { Ok: { status: 200, headers: {}, body: bytes("1") } });
    expectCanonical("HttpEnvelope", { Err: "Timeout" });
    expectCanonical("DnsEnvelope", { Ok: { records: [] } });
    expectCanonical("DnsEnvelope", { Err: { DnsFailure: "nxdomain" } });
  });

  it("matches the host for arbitrary requests and outputs (property)", () => {
    const str = fc.string({ unit: "binary", maxLength: 300 });
    const bin = fc.uint8Array({ maxLength: 70_000 });
    const dict = fc.dictionary(str, str, { maxKeys: 20 });
    fc.assert(
      fc.property(
        fc.record({
          command: str,
          args: fc.array(str, { maxLength: 20 }),
          env: dict,
          stdin: fc.option(bin),
          working_directory: fc.option(str),
        }),
        (request) => expectCanonical("SandboxExecRequest", request),
      ),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(
        fc.record({
          score: fc.maxSafeInteger(),
          valid: fc.boolean(),
          message: str,
          metrics: fc.option(bin),
        }),
        (output) => expectCanonical("EvaluationOutput", output),
      ),
      { numRuns: 150 },
    );
  });
});
