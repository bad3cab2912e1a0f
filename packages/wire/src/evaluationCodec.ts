// Codec of the evaluation contract: EvaluationInput (host → guest `evaluate`/`validate`) and
// EvaluationOutput (what `evaluate` returns).
import { WireEncodeError } from "./errors.js";
import { decodeWith } from "./internal/decode.js";
import { fastStruct, Kind } from "./internal/fastDecode.js";
import { bool, bytes, i64Field, optBytes, str, struct } from "./internal/read.js";
import type { DecodeOptions } from "./internal/unpack.js";
import {
  type EncodeState,
  isPlainObject,
  pack,
  Range,
  wBool,
  wBytes,
  wireInt,
  wOptBytes,
  wStr,
} from "./internal/write.js";
import type { EvaluationInput, EvaluationOutput } from "./types.js";

/** @internal */
export function readEvaluationInput(value: unknown, path: string): EvaluationInput {
  const o = struct(value, path);
  return {
    agent_data: bytes(o, "agent_data", path),
    challenge_id: str(o, "challenge_id", path),
    params: bytes(o, "params", path),
    task_definition: optBytes(o, "task_definition", path),
    environment_config: optBytes(o, "environment_config", path),
  };
}

/** @internal */
export function readEvaluationOutput(value: unknown, path: string): EvaluationOutput {
  const o = struct(value, path);
  return {
    score: i64Field(o, "score", path),
    valid: bool(o, "valid", path),
    message: str(o, "message", path),
    metrics: optBytes(o, "metrics", path),
  };
}

// Fast-path readers (see internal/fastDecode.ts); the reference readers above define what they must match.
const fastEvaluationInput = fastStruct(
  [
    { name: "agent_data", kind: Kind.Bytes },
    { name: "challenge_id", kind: Kind.Str },
    { name: "params", kind: Kind.Bytes },
    { name: "task_definition", kind: Kind.OptBytes },
    { name: "environment_config", kind: Kind.OptBytes },
  ],
  (v): EvaluationInput => ({
    agent_data: v[0] as Uint8Array,
    challenge_id: v[1] as string,
    params: v[2] as Uint8Array,
    task_definition: v[3] as Uint8Array | undefined,
    environment_config: v[4] as Uint8Array | undefined,
  }),
);

const fastEvaluationOutput = fastStruct(
  [
    { name: "score", kind: Kind.Int, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
    { name: "valid", kind: Kind.Bool },
    { name: "message", kind: Kind.Str },
    { name: "metrics", kind: Kind.OptBytes },
  ],
  (v): EvaluationOutput => ({
    score: v[0] as number,
    valid: v[1] as boolean,
    message: v[2] as string,
    metrics: v[3] as Uint8Array | undefined,
  }),
);

/** @internal Both decoding paths of the evaluation messages (decodeWith and the differential tests use them). */
export const EVALUATION_DECODERS = {
  EvaluationInput: { fast: fastEvaluationInput, reference: readEvaluationInput },
  EvaluationOutput: { fast: fastEvaluationOutput, reference: readEvaluationOutput },
} as const;

/** Decodes an {@link EvaluationInput}. @throws WireDecodeError naming the offending field. */
export function decodeEvaluationInput(bytes: Uint8Array, options?: DecodeOptions): EvaluationInput {
  return decodeWith(bytes, options, EVALUATION_DECODERS.EvaluationInput);
}

/**
 * Decodes the {@link EvaluationOutput} a guest's `evaluate` returned. `score` is a number when it is a
 * safe integer and a bigint beyond.
 * @throws WireDecodeError naming the offending field.
 */
export function decodeEvaluationOutput(bytes: Uint8Array, options?: DecodeOptions): EvaluationOutput {
  return decodeWith(bytes, options, EVALUATION_DECODERS.EvaluationOutput);
}

/** Encodes an {@link EvaluationInput} exactly as `rmp_serde::to_vec_named` does. @throws WireEncodeError */
export function encodeEvaluationInput(input: EvaluationInput): Uint8Array {
  if (!isPlainObject(input)) throw new WireEncodeError("", "expected an EvaluationInput object");
  return pack(
    {
      agent_data: wBytes(input.agent_data, "", "agent_data"),
      challenge_id: wStr(input.challenge_id, "", "challenge_id"),
      params: wBytes(input.params, "", "params"),
      task_definition: wOptBytes(input.task_definition, "", "task_definition"),
      environment_config: wOptBytes(input.environment_config, "", "environment_config"),
    },
    { wide: false },
  );
}

/** Encodes an {@link EvaluationOutput} exactly as `rmp-serde` does; `score` must be an i64. @throws WireEncodeError */
export function encodeEvaluationOutput(output: EvaluationOutput): Uint8Array {
  if (!isPlainObject(output)) throw new WireEncodeError("", "expected an EvaluationOutput object");
  const state: EncodeState = { wide: false };
  return pack(
    {
      score: wireInt(output.score, "", "score", Range.i64, state),
      valid: wBool(output.valid, "", "valid"),
      message: wStr(output.message, "", "message"),
      metrics: wOptBytes(output.metrics, "", "metrics"),
    },
    state,
  );
}
