// PRELIMINARY codec (workspace bootstrap): encodes/decodes with msgpackr in the ABI layout.
// The wire package owner replaces the decoders with validating ones (typed paths, caps, fuzzed).
import { Packr } from "msgpackr";
import { WireDecodeError } from "./errors.js";
import type {
  DnsRequest,
  DnsResponse,
  EvaluationInput,
  EvaluationOutput,
  HttpGetRequest,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  SandboxError,
  SandboxExecRequest,
  SandboxExecResponse,
  WireResult,
} from "./types.js";

const packr = new Packr({
  useRecords: false,
  encodeUndefinedAsNil: true,
  mapsAsObjects: true,
  int64AsType: "bigint",
});

/** Encodes any ABI-shaped value (snake_case keys, `Uint8Array` as bin, `undefined` as nil). */
export function encodeMessage(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Encodes a result envelope `{"Ok": v}` / `{"Err": e}`. */
export function encodeEnvelope<T, E>(result: WireResult<T, E>): Uint8Array {
  return packr.pack(result);
}

function decodeAny(bytes: Uint8Array): unknown {
  try {
    return packr.unpack(bytes);
  } catch (cause) {
    throw new WireDecodeError("", "malformed MessagePack", { cause });
  }
}

function asT<T>(bytes: Uint8Array): T {
  const v = decodeAny(bytes);
  if (v === null || typeof v !== "object") throw new WireDecodeError("", "expected map");
  return v as T;
}

/** Decodes a {@link SandboxExecRequest}. */
export const decodeSandboxExecRequest = (b: Uint8Array): SandboxExecRequest => asT(b);
/** Decodes a {@link SandboxExecResponse}. */
export const decodeSandboxExecResponse = (b: Uint8Array): SandboxExecResponse => asT(b);
/** Decodes an {@link HttpRequest}. */
export const decodeHttpRequest = (b: Uint8Array): HttpRequest => asT(b);
/** Decodes an {@link HttpGetRequest}. */
export const decodeHttpGetRequest = (b: Uint8Array): HttpGetRequest => asT(b);
/** Decodes an {@link HttpPostRequest}. */
export const decodeHttpPostRequest = (b: Uint8Array): HttpPostRequest => asT(b);
/** Decodes an {@link HttpResponse}. */
export const decodeHttpResponse = (b: Uint8Array): HttpResponse => asT(b);
/** Decodes a {@link DnsRequest}. */
export const decodeDnsRequest = (b: Uint8Array): DnsRequest => asT(b);
/** Decodes a {@link DnsResponse}. */
export const decodeDnsResponse = (b: Uint8Array): DnsResponse => asT(b);
/** Decodes an {@link EvaluationInput}. */
export const decodeEvaluationInput = (b: Uint8Array): EvaluationInput => asT(b);
/** Decodes an {@link EvaluationOutput}. */
export const decodeEvaluationOutput = (b: Uint8Array): EvaluationOutput => asT(b);
/** Decodes an envelope whose Ok is a {@link SandboxExecResponse}. */
export const decodeSandboxExecEnvelope = (b: Uint8Array): WireResult<SandboxExecResponse, SandboxError> =>
  asT(b);
/** Decodes an envelope whose Ok is an {@link HttpResponse}. */
export const decodeHttpEnvelope = (b: Uint8Array): WireResult<HttpResponse, NetworkError> => asT(b);
/** Decodes an envelope whose Ok is a {@link DnsResponse}. */
export const decodeDnsEnvelope = (b: Uint8Array): WireResult<DnsResponse, NetworkError> => asT(b);
