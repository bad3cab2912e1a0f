// Test-only challenge written with the class API (a `Challenge` subclass and `register`), to check the
// export contract: get_name/get_version blocks, validate overrides, evaluate packing and bad input.
import { Challenge, EvaluationInput, EvaluationOutput, register } from "../index";
export { alloc, evaluate, get_name, get_version, validate } from "../exports";

class LengthChallenge extends Challenge {
  constructor() {
    super("length-challenge ✓", "2.3.4");
  }

  evaluate(input: EvaluationInput): EvaluationOutput {
    const task = input.taskDefinition;
    const extra = task !== null ? " task=" + task.length.toString() : "";
    return EvaluationOutput.success(<i64>input.agentData.length - 1_000_000_000_000, input.challengeId + extra)
      .withMetricsText('{"n":' + input.agentData.length.toString() + "}");
  }

  validate(input: EvaluationInput): bool {
    return input.agentData.length > 0 && input.agentData.length < 10;
  }
}

register(new LengthChallenge());
