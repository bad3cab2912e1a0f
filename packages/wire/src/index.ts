export {
  decodeDnsEnvelope,
  decodeDnsRequest,
  decodeDnsResponse,
  decodeEvaluationInput,
  decodeEvaluationOutput,
  decodeHttpEnvelope,
  decodeHttpGetRequest,
  decodeHttpPostRequest,
  decodeHttpRequest,
  decodeHttpResponse,
  decodeSandboxExecEnvelope,
  decodeSandboxExecRequest,
  decodeSandboxExecResponse,
  encodeEnvelope,
  encodeMessage,
} from "./codec.js";
export {
  GuestExport,
  Namespace,
  NetworkImport,
  ReturnCode,
  SandboxImport,
  TAKE_RESULT,
} from "./constants.js";
export { isWireDecodeError, WireDecodeError, WireErrorCode } from "./errors.js";
export { LogLevel, logLevelFromI32, logLevelName } from "./logLevel.js";
export { packPtrLen, unpackPtrLen } from "./pointer.js";
export type {
  DnsRecordType,
  DnsRequest,
  DnsResponse,
  EvaluationInput,
  EvaluationOutput,
  HttpGetRequest,
  HttpMethod,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  SandboxError,
  SandboxExecRequest,
  SandboxExecResponse,
  WireResult,
} from "./types.js";
