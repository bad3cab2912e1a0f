// Public API of @platform-wasm/challenge-sdk for AssemblyScript challenge authors.
export { Challenge, challenge, register } from "./challenge";
export { ScoreFunction, ValidateFunction } from "./challenge";
export { EvaluationInput, EvaluationOutput } from "./evaluation";
export {
  getTimestamp,
  INITIAL_RESPONSE_BUFFER_BYTES,
  log,
  logDebug,
  logError,
  logInfo,
  LogLevel,
  logWarn,
  responseBufferBytes,
} from "./host";
export { Reader } from "./msgpack/reader";
export { Writer } from "./msgpack/writer";
export { dnsResolve, httpGet, httpPost, httpRequest } from "./network";
export {
  DnsRecordType,
  DnsRequest,
  DnsResponse,
  HttpGetRequest,
  HttpMethod,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  NetworkErrorKind,
} from "./networkTypes";
export { Result } from "./result";
export { exec, sandboxExec } from "./sandbox";
export { SandboxError, SandboxErrorKind, SandboxExecRequest, SandboxExecResponse } from "./sandboxTypes";
export { StringMap } from "./stringMap";
export { parseJsonNumber, parseJsonString } from "./json";
