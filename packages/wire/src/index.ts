export type { EvalRequest, EvalResponse, EvalResponseOptions, JsonValue } from "./bridge.js";
export {
  bytesToOutput,
  evalResponseError,
  evalResponseSuccess,
  inputToBytes,
  outputToResponse,
  requestToInput,
} from "./bridge.js";
export { encodeEnvelope, encodeMessage } from "./codec.js";
export {
  GuestExport,
  Namespace,
  NetworkImport,
  ReturnCode,
  SandboxImport,
  TAKE_RESULT,
} from "./constants.js";
export {
  isWireDecodeError,
  isWireEncodeError,
  WireDecodeError,
  WireEncodeError,
  WireErrorCode,
} from "./errors.js";
export {
  decodeEvaluationInput,
  decodeEvaluationOutput,
  encodeEvaluationInput,
  encodeEvaluationOutput,
} from "./evaluationCodec.js";
export type { DecodeOptions } from "./internal/unpack.js";
export { LogLevel, logLevelFromI32, logLevelName } from "./logLevel.js";
export {
  DNS_RECORD_TYPES,
  decodeDnsEnvelope,
  decodeDnsRequest,
  decodeDnsResponse,
  decodeHttpEnvelope,
  decodeHttpGetRequest,
  decodeHttpPostRequest,
  decodeHttpRequest,
  decodeHttpResponse,
  decodeNetworkError,
  encodeDnsEnvelope,
  encodeDnsRequest,
  encodeDnsResponse,
  encodeHttpEnvelope,
  encodeHttpGetRequest,
  encodeHttpPostRequest,
  encodeHttpRequest,
  encodeHttpResponse,
  encodeNetworkError,
  HTTP_METHODS,
} from "./networkCodec.js";
export { packPtrLen, unpackPtrLen } from "./pointer.js";
export {
  decodeSandboxError,
  decodeSandboxExecEnvelope,
  decodeSandboxExecRequest,
  decodeSandboxExecResponse,
  encodeSandboxError,
  encodeSandboxExecEnvelope,
  encodeSandboxExecRequest,
  encodeSandboxExecResponse,
} from "./sandboxCodec.js";
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
