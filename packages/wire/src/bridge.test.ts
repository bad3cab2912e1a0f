// Ports the reference's bridge.rs tests, plus the cases our stricter encoding adds.
import { describe, expect, it } from "vitest";
import {
  bytesToOutput,
  type EvalRequest,
  evalResponseError,
  evalResponseSuccess,
  inputToBytes,
  outputToResponse,
  requestToInput,
} from "./bridge.js";
import { WireDecodeError, WireEncodeError } from "./errors.js";
import { decodeEvaluationInput, encodeEvaluationOutput } from "./evaluationCodec.js";
import type { EvaluationOutput } from "./types.js";

const json = (b: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(b));
const request = (over: Partial<EvalRequest> = {}): EvalRequest => ({
  request_id: "req-1",
  submission_id: "sub-1",
  participant_id: "part-1",
  data: { code: "print('hello')" },
  metadata: { lang: "python" },
  epoch: 1,
  deadline: undefined,
  ...over,
});
const success = (score: number | bigint, message: string): EvaluationOutput => ({
  score,
  valid: true,
  message,
  metrics: undefined,
});
const failure = (message: string): EvaluationOutput => ({
  score: 0,
  valid: false,
  message,
  metrics: undefined,
});

describe("requestToInput", () => {
  it("puts data and metadata as JSON bytes and the challenge id (reference test_request_to_input)", () => {
    const input = requestToInput(request(), "test-challenge");
    expect(input.challenge_id).toBe("test-challenge");
    expect(input.agent_data.length).toBeGreaterThan(0);
    expect(input.params.length).toBeGreaterThan(0);
    expect(json(input.agent_data)).toEqual({ code: "print('hello')" });
    expect(json(input.params)).toEqual({ lang: "python" });
    expect(input.task_definition).toBeUndefined();
    expect(input.environment_config).toBeUndefined();
  });

  it("leaves params empty without metadata (reference test_request_to_input_no_metadata)", () => {
    const input = requestToInput(request({ data: "test", metadata: undefined, epoch: 0 }), "ch");
    expect(input.params.length).toBe(0);
    expect(new TextDecoder().decode(input.agent_data)).toBe('"test"');
  });

  it("writes object keys sorted, at every depth, so the guest's bytes do not depend on construction order", () => {
    const a = requestToInput(request({ data: { b: 1, a: { d: [{ z: 1, y: 2 }], c: 2 } } }), "ch");
    const b = requestToInput(request({ data: { a: { c: 2, d: [{ y: 2, z: 1 }] }, b: 1 } }), "ch");
    expect(new TextDecoder().decode(a.agent_data)).toBe('{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}');
    expect(b.agent_data).toEqual(a.agent_data);
    // code-point (UTF-8 byte) order, as BTreeMap<String, _> sorts: U+FF61 before U+1F600
    const emoji = requestToInput(request({ data: { "\u{1F600}": 1, "\uFF61": 2 } }), "ch");
    expect(new TextDecoder().decode(emoji.agent_data)).toBe('{"\uFF61":2,"\u{1F600}":1}');
  });

  it("keeps a __proto__ key in the data as data", () => {
    const data = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as EvalRequest["data"];
    const input = requestToInput(request({ data }), "ch");
    expect(new TextDecoder().decode(input.agent_data)).toBe('{"__proto__":{"x":1},"a":1}');
  });

  it("fails with WireEncodeError naming data or metadata when the value is not JSON", () => {
    expect(() => requestToInput(request({ data: 1n as never }), "ch")).toThrow(WireEncodeError);
    expect(() => requestToInput(request({ data: undefined as never }), "ch")).toThrow(
      /data: not serializable/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    try {
      requestToInput(request({ metadata: cyclic as never }), "ch");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WireEncodeError);
      expect((e as WireEncodeError).path).toBe("metadata");
    }
  });
});

describe("inputToBytes / bytesToOutput", () => {
  it("round-trips the input (reference test_roundtrip_input_bytes)", () => {
    const input = {
      agent_data: new Uint8Array([1, 2, 3]),
      challenge_id: "test",
      params: new Uint8Array([4, 5, 6]),
      task_definition: undefined,
      environment_config: undefined,
    };
    const recovered = decodeEvaluationInput(inputToBytes(input));
    expect(recovered).toEqual(input);
  });

  it("reads an output (reference test_bytes_to_output)", () => {
    const recovered = bytesToOutput(encodeEvaluationOutput(success(85, "great job")));
    expect(recovered.score).toBe(85);
    expect(recovered.valid).toBe(true);
    expect(recovered.message).toBe("great job");
  });

  it("fails with WireDecodeError on bad output bytes", () => {
    expect(() => bytesToOutput(new Uint8Array([0x81, 0xa1, 0x61]))).toThrow(WireDecodeError);
  });
});

describe("outputToResponse", () => {
  it("valid output: success, score / 100, message in results (reference test_output_to_response_success)", () => {
    const resp = outputToResponse(success(100, "perfect"), "req-1", 42);
    expect(resp.success).toBe(true);
    expect(resp.request_id).toBe("req-1");
    expect(Math.abs(resp.score - 1.0)).toBeLessThan(Number.EPSILON);
    expect(resp.execution_time_ms).toBe(42);
    expect(resp.error).toBeUndefined();
    expect(resp.results).toEqual({ message: "perfect" });
  });

  it("invalid output: error with the message, score 0 (reference test_output_to_response_failure)", () => {
    const resp = outputToResponse(failure("bad input"), "req-2", 10);
    expect(resp.success).toBe(false);
    expect(resp.request_id).toBe("req-2");
    expect(resp.score).toBe(0);
    expect(resp.error).toBe("bad input");
    expect(resp.execution_time_ms).toBe(10);
    expect(resp.results).toBeNull();
  });

  it("divides a bigint score too", () => {
    expect(outputToResponse(success(2n ** 60n, ""), "r", 0).score).toBe(2 ** 60 / 100);
  });
});

describe("EvalResponse builders", () => {
  it("success and error with time and cost", () => {
    expect(evalResponseSuccess("r", 0.5, { a: 1 }, { executionTimeMs: 3, cost: 0.1 })).toEqual({
      request_id: "r",
      success: true,
      error: undefined,
      score: 0.5,
      results: { a: 1 },
      execution_time_ms: 3,
      cost: 0.1,
    });
    expect(evalResponseError("r", "boom")).toEqual({
      request_id: "r",
      success: false,
      error: "boom",
      score: 0,
      results: null,
      execution_time_ms: 0,
      cost: undefined,
    });
  });
});
