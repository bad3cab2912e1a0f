// Test-only challenge driving every platform_network wrapper against the real host functions. agent_data
// is a command: `get <url>`, `post <url>`, `put <url>` (httpRequest), `dns <host> <type>`.
import {
  challenge,
  dnsResolve,
  EvaluationInput,
  EvaluationOutput,
  httpGet,
  httpPost,
  httpRequest,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  NetworkError,
  Result,
  StringMap,
} from "../index";
export { alloc, evaluate, get_name, get_version, validate } from "../exports";

function describeHttp(result: Result<HttpResponse, NetworkError>): EvaluationOutput {
  if (result.isErr) return new EvaluationOutput(0, false, "err=" + result.error.toString());
  const response = result.value;
  const type = response.headers.getIgnoreCase("content-type");
  return EvaluationOutput.success(
    <i64>response.body.length,
    "status=" + response.status.toString() + " type=" + (type !== null ? type : "-") + " body=" + response.text(),
  );
}

function score(input: EvaluationInput): EvaluationOutput {
  const words = input.agentDataText().split(" ");
  const verb = words[0];
  const target = words.length > 1 ? words[1] : "";
  const headers = new StringMap().set("x-sdk", "assemblyscript");
  if (verb == "get") return describeHttp(httpGet(target, headers));
  if (verb == "post") return describeHttp(httpPost(target, Uint8Array.wrap(String.UTF8.encode("ping")), headers));
  if (verb == "put") {
    const request = new HttpRequest(HttpMethod.PUT, target);
    request.headers = headers;
    request.body = Uint8Array.wrap(String.UTF8.encode("data"));
    return describeHttp(httpRequest(request));
  }
  if (verb == "dns") {
    const result = dnsResolve(target, words.length > 2 ? words[2] : "a");
    if (result.isErr) return new EvaluationOutput(0, false, "err=" + result.error.toString());
    return EvaluationOutput.success(<i64>result.value.records.length, "records=" + result.value.records.join(","));
  }
  return EvaluationOutput.failure("unknown command");
}

challenge("network-guest", "0.0.0", score);
