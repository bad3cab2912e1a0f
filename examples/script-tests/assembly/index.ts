// script-tests: the submission is a POSIX sh script that reads two integers from stdin and prints their
// sum. Each test case runs it once through sandbox_exec (`sh -c <script>`, the case on stdin) under a
// tight policy; the last non-empty stdout line is the answer. Score: percentage of passing cases.
import {
  challenge,
  EvaluationInput,
  EvaluationOutput,
  logInfo,
  logWarn,
  SandboxErrorKind,
  SandboxExecRequest,
  sandboxExec,
} from "@platform-wasm/challenge-sdk/assembly";
export { alloc, evaluate, get_name, get_version, validate } from "@platform-wasm/challenge-sdk/assembly/exports";

class TestCase {
  constructor(
    readonly stdin: string,
    readonly expected: string,
  ) {}
}

const CASES: TestCase[] = [
  new TestCase("2 2\n", "4"),
  new TestCase("3 4\n", "7"),
  new TestCase("0 0\n", "0"),
  new TestCase("-5 5\n", "0"),
  new TestCase("100 23\n", "123"),
];

function lastLine(text: string): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line.length > 0) return line;
  }
  return "";
}

function score(input: EvaluationInput): EvaluationOutput {
  const script = input.agentDataText();
  let passed = 0;
  let outputBytes = 0;
  for (let i = 0; i < CASES.length; i++) {
    const testCase = CASES[i];
    const request = new SandboxExecRequest("sh", ["-c", script]).withStdinText(testCase.stdin);
    const result = sandboxExec(request);
    if (result.isErr) {
      const error = result.error;
      if (error.kind == SandboxErrorKind.Timeout) {
        // A script that hangs would hang on every case: stop instead of burning the whole budget.
        logWarn("script-tests: case " + i.toString() + " timed out; remaining cases not run");
        break;
      }
      // Refusals (command not allowed, sandbox disabled, no isolation, budget used up) are the
      // validator's configuration, not the participant's fault: report them as an invalid evaluation.
      return EvaluationOutput.failure("sandbox refused the test run: " + error.toString());
    }
    const response = result.value;
    outputBytes += response.stdout.length;
    const answer = lastLine(response.stdoutText());
    if (response.success && answer == testCase.expected) passed++;
    else logInfo("script-tests: case " + i.toString() + " expected " + testCase.expected + ", got `" + answer + "`");
  }
  const total = CASES.length;
  const message =
    passed.toString() + "/" + total.toString() + " test cases passed (" + outputBytes.toString() + " stdout bytes)";
  logInfo("script-tests: " + message);
  return EvaluationOutput.success(<i64>((passed * 100) / total), message).withMetricsText(
    '{"passed":' + passed.toString() + ',"total":' + total.toString() + "}",
  );
}

function hasScript(input: EvaluationInput): bool {
  return input.agentData.length > 0;
}

challenge("script-tests", "1.0.0", score, hasScript);
