// answer-check: pure scoring. The submission is `{"answer": "…"}` (or the bare answer as text); it scores
// 100 when it matches the expected answer (`{"expected": "…"}` in params, else the built-in one). Logs
// through log_message and stamps the verdict with get_timestamp (deterministic under its policy, so every
// validator produces the same bytes).
import {
  challenge,
  EvaluationInput,
  EvaluationOutput,
  getTimestamp,
  logInfo,
  logWarn,
  parseJsonString,
} from "@platform-wasm/challenge-sdk/assembly";
export { alloc, evaluate, get_name, get_version, validate } from "@platform-wasm/challenge-sdk/assembly/exports";

const BUILT_IN_EXPECTED = "42";

function expectedAnswer(input: EvaluationInput): string {
  if (input.params.length == 0) return BUILT_IN_EXPECTED;
  const fromParams = parseJsonString(input.paramsText(), "expected");
  return fromParams !== null ? fromParams : BUILT_IN_EXPECTED;
}

function submittedAnswer(input: EvaluationInput): string {
  const text = input.agentDataText();
  const fromJson = parseJsonString(text, "answer");
  return fromJson !== null ? fromJson : text.trim();
}

function score(input: EvaluationInput): EvaluationOutput {
  const at = getTimestamp();
  const expected = expectedAnswer(input);
  const answer = submittedAnswer(input);
  const metrics = '{"evaluated_at_ms":' + at.toString() + "}";
  if (answer == expected) {
    logInfo("answer-check: correct answer at " + at.toString());
    return EvaluationOutput.success(100, "correct answer (evaluated at " + at.toString() + ")").withMetricsText(
      metrics,
    );
  }
  logWarn("answer-check: wrong answer `" + answer + "` at " + at.toString());
  return new EvaluationOutput(0, true, "wrong answer: expected " + expected + ", got " + answer).withMetricsText(
    metrics,
  );
}

// An empty submission is not worth scoring.
function nonEmpty(input: EvaluationInput): bool {
  return input.agentData.length > 0;
}

challenge("answer-check", "1.0.0", score, nonEmpty);
