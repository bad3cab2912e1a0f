// reference-fetch: the submission is an estimate `{"value": <number>}` (or a bare number). The challenge
// fetches the reference document `{"value": <number>, …}` over platform_network (http_get, only to the
// host its policy allows) and scores by relative error: 100 for an exact match, minus one point per
// percent of error. The reference URL is built in; params `{"reference_url": "…"}` override it.
import {
  challenge,
  EvaluationInput,
  EvaluationOutput,
  httpGet,
  logInfo,
  parseJsonNumber,
  parseJsonString,
  StringMap,
} from "@platform-wasm/challenge-sdk/assembly";
export { alloc, evaluate, get_name, get_version, validate } from "@platform-wasm/challenge-sdk/assembly/exports";

const DEFAULT_REFERENCE_URL = "http://127.0.0.1:8787/reference.json";

function referenceUrl(input: EvaluationInput): string {
  if (input.params.length == 0) return DEFAULT_REFERENCE_URL;
  const fromParams = parseJsonString(input.paramsText(), "reference_url");
  return fromParams !== null ? fromParams : DEFAULT_REFERENCE_URL;
}

function estimate(input: EvaluationInput): f64 {
  const text = input.agentDataText();
  const fromJson = parseJsonNumber(text, "value");
  if (!isNaN(fromJson)) return fromJson;
  const trimmed = text.trim();
  return trimmed.length > 0 ? F64.parseFloat(trimmed) : NaN;
}

function score(input: EvaluationInput): EvaluationOutput {
  const value = estimate(input);
  if (isNaN(value)) return EvaluationOutput.failure("the submission carries no number");
  const url = referenceUrl(input);
  const result = httpGet(url, new StringMap().set("accept", "application/json"));
  if (result.isErr) return EvaluationOutput.failure("reference unavailable: " + result.error.toString());
  const response = result.value;
  if (response.status != 200) {
    return EvaluationOutput.failure("reference unavailable: HTTP " + response.status.toString());
  }
  const reference = parseJsonNumber(response.text(), "value");
  if (isNaN(reference)) return EvaluationOutput.failure("the reference document has no `value`");
  const scale = Math.max(Math.abs(reference), 1e-9);
  const errorPercent = (Math.abs(value - reference) / scale) * 100.0;
  const points = errorPercent >= 100.0 ? 0 : <i64>Math.floor(100.0 - errorPercent);
  const message =
    "reference " +
    reference.toString() +
    " (" +
    response.body.length.toString() +
    " bytes), estimate " +
    value.toString() +
    ": score " +
    points.toString();
  logInfo("reference-fetch: " + message);
  return EvaluationOutput.success(points, message);
}

challenge("reference-fetch", "1.0.0", score);
