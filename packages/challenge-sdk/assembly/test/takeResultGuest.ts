// Test-only challenge: asks the host's `sandbox_exec` for a response of a given size and checks, inside
// the guest, that every byte arrived. agent_data is `<stdout bytes> <stderr detail bytes>`; the host test
// registrar answers Ok with a patterned stdout, or Err(CommandNotAllowed) with a long detail when the
// command is `deny`. `abort` aborts (to check the SDK's abort handler logs before trapping).
import { challenge, EvaluationInput, EvaluationOutput, exec, responseBufferBytes, SandboxErrorKind } from "../index";
export { alloc, evaluate, get_name, get_version, validate } from "../exports";

function score(input: EvaluationInput): EvaluationOutput {
  const request = input.agentDataText();
  if (request == "abort") abort("the test asked for it");
  const command = request.startsWith("deny") ? "deny" : "emit";
  const size = request.startsWith("deny") ? request.substring(5) : request;
  const result = exec(command, [size]);
  const buffer = responseBufferBytes().toString();
  if (result.isErr) {
    const error = result.error;
    const why = error.kind == SandboxErrorKind.HostProtocol ? ": " + error.detail : "";
    return new EvaluationOutput(0, false, error.name + " " + error.detail.length.toString() + " buffer=" + buffer + why);
  }
  const stdout = result.value.stdout;
  // Pattern: byte i is i % 251 (a prime, so a shifted or repeated chunk shows up).
  for (let i = 0; i < stdout.length; i++) {
    if (<i32>stdout[i] != i % 251) {
      return new EvaluationOutput(0, false, "corrupt byte at " + i.toString() + " buffer=" + buffer);
    }
  }
  return EvaluationOutput.success(stdout.length, "intact buffer=" + buffer);
}

challenge("take-result-guest", "0.0.0", score);
