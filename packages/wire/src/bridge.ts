// The evaluation bridge of the reference (`bridge.rs`): the host-side request/response a validator
// handles, and their mapping to and from the guest's EvaluationInput/EvaluationOutput. Field names are the
// reference's serde names so the JSON forms match.
import { WireEncodeError } from "./errors.js";
import { decodeEvaluationOutput, encodeEvaluationInput } from "./evaluationCodec.js";
import type { DecodeOptions } from "./internal/unpack.js";
import type { EvaluationInput, EvaluationOutput } from "./types.js";

/** A JSON value (what `serde_json::Value` holds). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An evaluation request as the validator receives it. */
export interface EvalRequest {
  request_id: string;
  submission_id: string;
  participant_id: string;
  /** The submission; becomes `EvaluationInput.agent_data` as JSON bytes. */
  data: JsonValue;
  /** Optional parameters; become `EvaluationInput.params` as JSON bytes (empty when absent). */
  metadata: JsonValue | undefined;
  epoch: number;
  /** Unix ms deadline, if any. */
  deadline: number | undefined;
}

/** The validator's answer to an {@link EvalRequest}. */
export interface EvalResponse {
  request_id: string;
  success: boolean;
  /** Why the evaluation failed; `undefined` on success. */
  error: string | undefined;
  /** Normalized score (the guest's i64 score / 100); 0 on failure. */
  score: number;
  /** `{"message": …}` on success, `null` on failure. */
  results: JsonValue;
  execution_time_ms: number;
  cost: number | undefined;
}

/** Optional parts of an {@link EvalResponse}. */
export interface EvalResponseOptions {
  /** Wall-clock time the evaluation took. Default 0. */
  readonly executionTimeMs?: number;
  /** Cost, when the caller accounts one. */
  readonly cost?: number;
}

/**
 * A successful {@link EvalResponse}.
 * @param requestId - the request's id.
 * @param score - the normalized score.
 * @param results - arbitrary JSON results.
 */
export function evalResponseSuccess(
  requestId: string,
  score: number,
  results: JsonValue,
  options: EvalResponseOptions = {},
): EvalResponse {
  return {
    request_id: requestId,
    success: true,
    error: undefined,
    score,
    results,
    execution_time_ms: options.executionTimeMs ?? 0,
    cost: options.cost,
  };
}

/**
 * A failed {@link EvalResponse}: score 0, results `null`.
 * @param requestId - the request's id.
 * @param error - what went wrong.
 */
export function evalResponseError(
  requestId: string,
  error: string,
  options: EvalResponseOptions = {},
): EvalResponse {
  return {
    request_id: requestId,
    success: false,
    error,
    score: 0,
    results: null,
    execution_time_ms: options.executionTimeMs ?? 0,
    cost: options.cost,
  };
}

const utf8 = new TextEncoder();

/**
 * Builds the guest input for a request: `agent_data` = JSON of `data`, `params` = JSON of `metadata` (empty
 * when absent), `challenge_id` from the caller, no task definition or environment config.
 * Object keys are written sorted (as `serde_json::Value` does), so the bytes a guest sees do not depend on
 * how the request object was built — every validator hands the guest the same input.
 * @throws WireEncodeError with path `data` or `metadata` when the value is not JSON (a bigint, a cycle…).
 * @example
 * ```ts
 * const input = requestToInput(request, "my-challenge");
 * const bytes = inputToBytes(input);
 * ```
 */
export function requestToInput(request: EvalRequest, challengeId: string): EvaluationInput {
  return {
    agent_data: jsonBytes(request.data, "data"),
    challenge_id: challengeId,
    params: request.metadata === undefined ? new Uint8Array(0) : jsonBytes(request.metadata, "metadata"),
    task_definition: undefined,
    environment_config: undefined,
  };
}

/**
 * Maps a guest's output to the validator's response: a valid output succeeds with `score / 100` and
 * `results = {"message": message}`; an invalid one fails with its message. Both carry `executionTimeMs`.
 */
export function outputToResponse(
  output: EvaluationOutput,
  requestId: string,
  executionTimeMs: number,
): EvalResponse {
  if (output.valid) {
    return evalResponseSuccess(
      requestId,
      Number(output.score) / 100,
      { message: output.message },
      { executionTimeMs },
    );
  }
  return evalResponseError(requestId, output.message, { executionTimeMs });
}

/** Encodes the input handed to a guest's `evaluate` (MessagePack, `rmp-serde` layout). @throws WireEncodeError */
export function inputToBytes(input: EvaluationInput): Uint8Array {
  return encodeEvaluationInput(input);
}

/** Decodes the output a guest's `evaluate` returned. @throws WireDecodeError naming the bad field */
export function bytesToOutput(bytes: Uint8Array, options?: DecodeOptions): EvaluationOutput {
  return decodeEvaluationOutput(bytes, options);
}

function jsonBytes(value: JsonValue, path: string): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, sortKeys);
  } catch (cause) {
    throw new WireEncodeError(path, "not serializable as JSON", { cause });
  }
  if (text === undefined) throw new WireEncodeError(path, "not serializable as JSON");
  return utf8.encode(text);
}

function sortKeys(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  // Null prototype: a `__proto__` key is copied as data, not as a prototype.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(value).sort(byCodePoint)) sorted[k] = (value as Record<string, unknown>)[k];
  return sorted;
}

/** Code-point order, which is the UTF-8 byte order `BTreeMap<String, _>` uses (UTF-16 order differs). */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
