import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import {
  decodeEvaluationInput,
  decodeEvaluationOutput,
  encodeEvaluationInput,
  encodeEvaluationOutput,
} from "./evaluationCodec.js";
import type { EvaluationOutput } from "./types.js";

const output = (score: number | bigint): EvaluationOutput => ({
  score,
  valid: true,
  message: "m",
  metrics: undefined,
});

describe("EvaluationInput", () => {
  it("round-trips with and without optional parts", () => {
    const input = {
      agent_data: new Uint8Array([1]),
      challenge_id: "c",
      params: new Uint8Array(),
      task_definition: undefined,
      environment_config: new Uint8Array([2]),
    };
    expect(decodeEvaluationInput(encodeEvaluationInput(input))).toEqual(input);
  });

  it("accepts the reference's three-field layout (optional parts absent)", () => {
    const bytes = encode({ agent_data: [1, 2, 3], challenge_id: "test", params: [4, 5, 6] });
    expect(decodeEvaluationInput(bytes)).toEqual({
      agent_data: new Uint8Array([1, 2, 3]),
      challenge_id: "test",
      params: new Uint8Array([4, 5, 6]),
      task_definition: undefined,
      environment_config: undefined,
    });
  });
});

describe("EvaluationOutput score (i64)", () => {
  it("is a number while safe and a bigint beyond", () => {
    for (const score of [0, 85, -1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(decodeEvaluationOutput(encodeEvaluationOutput(output(score))).score).toBe(score);
    }
    for (const score of [2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 1n]) {
      expect(decodeEvaluationOutput(encodeEvaluationOutput(output(score))).score).toBe(score);
    }
    // small bigints come back as numbers
    expect(decodeEvaluationOutput(encodeEvaluationOutput(output(7n))).score).toBe(7);
  });

  it("is range-checked both ways", () => {
    expect(() => encodeEvaluationOutput(output(2n ** 63n))).toThrow(/score: i64 out of range/);
    expect(() => encodeEvaluationOutput(output(1.5))).toThrow(/score: expected i64/);
    const tooBig = encode(
      { score: 2n ** 63n, valid: true, message: "", metrics: null },
      { useBigInt64: true },
    );
    expect(() => decodeEvaluationOutput(tooBig)).toThrow(/score: i64 out of range/);
    const float = encode({ score: 0.5, valid: true, message: "" });
    expect(() => decodeEvaluationOutput(float)).toThrow("score: expected i64, got float");
  });

  it("writes positive values in unsigned formats like rmp", () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    expect(hex(encodeEvaluationOutput(output(2 ** 40)))).toContain("cf0000010000000000");
    expect(hex(encodeEvaluationOutput(output(-(2 ** 40))))).toContain("d3ffffff0000000000");
    expect(hex(encodeEvaluationOutput(output(200)))).toContain("73636f7265ccc8");
  });
});
