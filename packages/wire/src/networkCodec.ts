// Codec of the `platform_network` messages: HTTP and DNS requests/responses, NetworkError and the two
// result envelopes (HTTP imports share one, dns_resolve has its own).
import { WireDecodeError, WireEncodeError } from "./errors.js";
import { decodeWith } from "./internal/decode.js";
import { envelopeReader, prepareEnvelope } from "./internal/envelope.js";
import { fastEnvelope, fastStruct, fastTagged, Kind } from "./internal/fastDecode.js";
import { keyPath } from "./internal/path.js";
import {
  bytes,
  type Fields,
  intInRange,
  PayloadKind,
  str,
  strArray,
  strMap,
  struct,
  tagged,
  variantReaders,
} from "./internal/read.js";
import type { DecodeOptions } from "./internal/unpack.js";
import {
  type EncodeState,
  isPlainObject,
  pack,
  Range,
  variantName,
  wBytes,
  wireInt,
  wStr,
  wStrArray,
  wStrMap,
} from "./internal/write.js";
import type {
  DnsRecordType,
  DnsRequest,
  DnsResponse,
  HttpGetRequest,
  HttpMethod,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  WireResult,
} from "./types.js";

/** Every {@link HttpMethod}, lowercase as on the wire. */
export const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
];
/** Every {@link DnsRecordType}, lowercase as on the wire. */
export const DNS_RECORD_TYPES: readonly DnsRecordType[] = ["a", "aaaa", "cname", "txt"];

const METHOD_SET: ReadonlySet<string> = new Set(HTTP_METHODS);
const RECORD_TYPE_SET: ReadonlySet<string> = new Set(DNS_RECORD_TYPES);

/** A unit-only enum field (serde `rename_all = "lowercase"`): a string naming one of `allowed`. */
function unitEnum(
  o: Fields,
  key: string,
  parent: string,
  allowed: ReadonlySet<string>,
  what: string,
): string {
  const v = o[key];
  if (typeof v === "string" && allowed.has(v)) return v;
  const path = keyPath(parent, key);
  if (v === undefined) throw new WireDecodeError(path, `missing required field (expected ${what})`);
  if (typeof v === "string") throw new WireDecodeError(path, `unknown ${what} ${JSON.stringify(v)}`);
  // `{"get": nil}` is how rmp-serde may also spell a unit variant.
  if (typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && allowed.has(keys[0]!) && (v as Fields)[keys[0]!] === null) return keys[0]!;
  }
  throw new WireDecodeError(path, `expected ${what} (one of ${[...allowed].join(", ")})`);
}

/** @internal */
export function readHttpRequest(value: unknown, path: string): HttpRequest {
  const o = struct(value, path);
  return {
    method: unitEnum(o, "method", path, METHOD_SET, "HTTP method") as HttpMethod,
    url: str(o, "url", path),
    headers: strMap(o, "headers", path),
    body: bytes(o, "body", path),
  };
}

/** @internal */
export function readHttpGetRequest(value: unknown, path: string): HttpGetRequest {
  const o = struct(value, path);
  return { url: str(o, "url", path), headers: strMap(o, "headers", path) };
}

/** @internal */
export function readHttpPostRequest(value: unknown, path: string): HttpPostRequest {
  const o = struct(value, path);
  return { url: str(o, "url", path), headers: strMap(o, "headers", path), body: bytes(o, "body", path) };
}

/** @internal */
export function readHttpResponse(value: unknown, path: string): HttpResponse {
  const o = struct(value, path);
  return {
    status: intInRange(o, "status", path, 0, 0xffff, "u16"),
    headers: strMap(o, "headers", path),
    body: bytes(o, "body", path),
  };
}

/** @internal */
export function readDnsRequest(value: unknown, path: string): DnsRequest {
  const o = struct(value, path);
  return {
    hostname: str(o, "hostname", path),
    record_type: unitEnum(o, "record_type", path, RECORD_TYPE_SET, "DNS record type") as DnsRecordType,
  };
}

/** @internal */
export function readDnsResponse(value: unknown, path: string): DnsResponse {
  const o = struct(value, path);
  return { records: strArray(o, "records", path) };
}

const NETWORK_UNITS: ReadonlySet<string> = new Set(["NetworkDisabled", "Timeout"]);
const NETWORK_PAYLOADS = Object.assign(Object.create(null) as Record<string, PayloadKind>, {
  PolicyViolation: PayloadKind.Str,
  LimitExceeded: PayloadKind.Str,
  DnsFailure: PayloadKind.Str,
  HttpFailure: PayloadKind.Str,
  InvalidRequest: PayloadKind.Str,
});
const NETWORK_DATA = variantReaders(NETWORK_PAYLOADS);

/** @internal */
export function readNetworkError(value: unknown, path: string): NetworkError {
  return tagged(value, path, NETWORK_UNITS, NETWORK_DATA, "NetworkError") as NetworkError;
}

const readHttpEnvelope = envelopeReader(readHttpResponse, readNetworkError);
const readDnsEnvelope = envelopeReader(readDnsResponse, readNetworkError);

// Fast-path readers (see internal/fastDecode.ts); the reference readers above define what they must match.
const fastHttpRequest = fastStruct(
  [
    { name: "method", kind: Kind.Unit, units: METHOD_SET },
    { name: "url", kind: Kind.Str },
    { name: "headers", kind: Kind.StrMap },
    { name: "body", kind: Kind.Bytes },
  ],
  (v): HttpRequest => ({
    method: v[0] as HttpMethod,
    url: v[1] as string,
    headers: v[2] as Record<string, string>,
    body: v[3] as Uint8Array,
  }),
);
const fastHttpGetRequest = fastStruct(
  [
    { name: "url", kind: Kind.Str },
    { name: "headers", kind: Kind.StrMap },
  ],
  (v): HttpGetRequest => ({ url: v[0] as string, headers: v[1] as Record<string, string> }),
);
const fastHttpPostRequest = fastStruct(
  [
    { name: "url", kind: Kind.Str },
    { name: "headers", kind: Kind.StrMap },
    { name: "body", kind: Kind.Bytes },
  ],
  (v): HttpPostRequest => ({
    url: v[0] as string,
    headers: v[1] as Record<string, string>,
    body: v[2] as Uint8Array,
  }),
);
const fastHttpResponse = fastStruct(
  [
    { name: "status", kind: Kind.Int, min: 0, max: 0xffff },
    { name: "headers", kind: Kind.StrMap },
    { name: "body", kind: Kind.Bytes },
  ],
  (v): HttpResponse => ({
    status: v[0] as number,
    headers: v[1] as Record<string, string>,
    body: v[2] as Uint8Array,
  }),
);
const fastDnsRequest = fastStruct(
  [
    { name: "hostname", kind: Kind.Str },
    { name: "record_type", kind: Kind.Unit, units: RECORD_TYPE_SET },
  ],
  (v): DnsRequest => ({ hostname: v[0] as string, record_type: v[1] as DnsRecordType }),
);
const fastDnsResponse = fastStruct(
  [{ name: "records", kind: Kind.StrArray }],
  (v): DnsResponse => ({ records: v[0] as string[] }),
);
const fastNetworkError = fastTagged<NetworkError>(NETWORK_UNITS, NETWORK_PAYLOADS);
const fastHttpEnvelope = fastEnvelope(fastHttpResponse, fastNetworkError);
const fastDnsEnvelope = fastEnvelope(fastDnsResponse, fastNetworkError);

/** @internal Both decoding paths of every network message (decodeWith and the differential tests use them). */
export const NETWORK_DECODERS = {
  HttpRequest: { fast: fastHttpRequest, reference: readHttpRequest },
  HttpGetRequest: { fast: fastHttpGetRequest, reference: readHttpGetRequest },
  HttpPostRequest: { fast: fastHttpPostRequest, reference: readHttpPostRequest },
  HttpResponse: { fast: fastHttpResponse, reference: readHttpResponse },
  DnsRequest: { fast: fastDnsRequest, reference: readDnsRequest },
  DnsResponse: { fast: fastDnsResponse, reference: readDnsResponse },
  NetworkError: { fast: fastNetworkError, reference: readNetworkError },
  HttpEnvelope: { fast: fastHttpEnvelope, reference: readHttpEnvelope },
  DnsEnvelope: { fast: fastDnsEnvelope, reference: readDnsEnvelope },
} as const;

/**
 * Decodes an {@link HttpRequest} (`http_request`).
 * @throws WireDecodeError naming the offending field, e.g. `method: unknown HTTP method "GET"`.
 */
export function decodeHttpRequest(bytes: Uint8Array, options?: DecodeOptions): HttpRequest {
  return decodeWith(bytes, options, NETWORK_DECODERS.HttpRequest);
}

/** Decodes an {@link HttpGetRequest} (`http_get`). @throws WireDecodeError */
export function decodeHttpGetRequest(bytes: Uint8Array, options?: DecodeOptions): HttpGetRequest {
  return decodeWith(bytes, options, NETWORK_DECODERS.HttpGetRequest);
}

/** Decodes an {@link HttpPostRequest} (`http_post`). @throws WireDecodeError */
export function decodeHttpPostRequest(bytes: Uint8Array, options?: DecodeOptions): HttpPostRequest {
  return decodeWith(bytes, options, NETWORK_DECODERS.HttpPostRequest);
}

/** Decodes an {@link HttpResponse}; `status` must be a u16. @throws WireDecodeError */
export function decodeHttpResponse(bytes: Uint8Array, options?: DecodeOptions): HttpResponse {
  return decodeWith(bytes, options, NETWORK_DECODERS.HttpResponse);
}

/** Decodes a {@link DnsRequest} (`dns_resolve`). @throws WireDecodeError */
export function decodeDnsRequest(bytes: Uint8Array, options?: DecodeOptions): DnsRequest {
  return decodeWith(bytes, options, NETWORK_DECODERS.DnsRequest);
}

/** Decodes a {@link DnsResponse}. @throws WireDecodeError */
export function decodeDnsResponse(bytes: Uint8Array, options?: DecodeOptions): DnsResponse {
  return decodeWith(bytes, options, NETWORK_DECODERS.DnsResponse);
}

/** Decodes a {@link NetworkError} (`"Timeout"`, `{"DnsFailure": "…"}`, …). @throws WireDecodeError */
export function decodeNetworkError(bytes: Uint8Array, options?: DecodeOptions): NetworkError {
  return decodeWith(bytes, options, NETWORK_DECODERS.NetworkError);
}

/**
 * Decodes the envelope of the HTTP imports: `{"Ok": HttpResponse}` or `{"Err": NetworkError}`.
 * @throws WireDecodeError with paths such as `Ok.status`.
 */
export function decodeHttpEnvelope(
  bytes: Uint8Array,
  options?: DecodeOptions,
): WireResult<HttpResponse, NetworkError> {
  return decodeWith(bytes, options, NETWORK_DECODERS.HttpEnvelope);
}

/** Decodes the envelope of `dns_resolve`: `{"Ok": DnsResponse}` or `{"Err": NetworkError}`. @throws WireDecodeError */
export function decodeDnsEnvelope(
  bytes: Uint8Array,
  options?: DecodeOptions,
): WireResult<DnsResponse, NetworkError> {
  return decodeWith(bytes, options, NETWORK_DECODERS.DnsEnvelope);
}

function object(v: unknown, path: string, what: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new WireEncodeError(path, `expected a ${what} object`);
  return v;
}

function wUnit(v: unknown, path: string, key: string, allowed: ReadonlySet<string>, what: string): string {
  if (typeof v === "string" && allowed.has(v)) return v;
  throw new WireEncodeError(keyPath(path, key), `expected ${what} (one of ${[...allowed].join(", ")})`);
}

/** @internal */
export function prepareHttpRequest(v: HttpRequest, path: string): unknown {
  const o = object(v, path, "HttpRequest");
  return {
    method: wUnit(o.method, path, "method", METHOD_SET, "HTTP method"),
    url: wStr(o.url, path, "url"),
    headers: wStrMap(o.headers, path, "headers"),
    body: wBytes(o.body, path, "body"),
  };
}

/** @internal */
export function prepareHttpGetRequest(v: HttpGetRequest, path: string): unknown {
  const o = object(v, path, "HttpGetRequest");
  return { url: wStr(o.url, path, "url"), headers: wStrMap(o.headers, path, "headers") };
}

/** @internal */
export function prepareHttpPostRequest(v: HttpPostRequest, path: string): unknown {
  const o = object(v, path, "HttpPostRequest");
  return {
    url: wStr(o.url, path, "url"),
    headers: wStrMap(o.headers, path, "headers"),
    body: wBytes(o.body, path, "body"),
  };
}

/** @internal */
export function prepareHttpResponse(v: HttpResponse, path: string, state: EncodeState): unknown {
  const o = object(v, path, "HttpResponse");
  return {
    status: wireInt(o.status, path, "status", Range.u16, state),
    headers: wStrMap(o.headers, path, "headers"),
    body: wBytes(o.body, path, "body"),
  };
}

/** @internal */
export function prepareDnsRequest(v: DnsRequest, path: string): unknown {
  const o = object(v, path, "DnsRequest");
  return {
    hostname: wStr(o.hostname, path, "hostname"),
    record_type: wUnit(o.record_type, path, "record_type", RECORD_TYPE_SET, "DNS record type"),
  };
}

/** @internal */
export function prepareDnsResponse(v: DnsResponse, path: string): unknown {
  const o = object(v, path, "DnsResponse");
  return { records: wStrArray(o.records, path, "records") };
}

/** @internal Unit variant → string, data variant → one-key map. */
export function prepareNetworkError(e: NetworkError, path: string): unknown {
  if (typeof e === "string") {
    if (NETWORK_UNITS.has(e)) return e;
    throw new WireEncodeError(path, `unknown NetworkError unit variant ${JSON.stringify(e)}`);
  }
  const name = variantName(e, path, "NetworkError");
  if (!Object.hasOwn(NETWORK_DATA, name)) {
    throw new WireEncodeError(path, `unknown NetworkError variant ${JSON.stringify(name)}`);
  }
  return { [name]: wStr((e as Record<string, unknown>)[name], path, name) };
}

function fresh(): EncodeState {
  return { wide: false };
}

/** Encodes an {@link HttpRequest} exactly as `rmp_serde::to_vec_named` does. @throws WireEncodeError */
export function encodeHttpRequest(request: HttpRequest): Uint8Array {
  const state = fresh();
  return pack(prepareHttpRequest(request, ""), state);
}

/** Encodes an {@link HttpGetRequest} exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeHttpGetRequest(request: HttpGetRequest): Uint8Array {
  const state = fresh();
  return pack(prepareHttpGetRequest(request, ""), state);
}

/** Encodes an {@link HttpPostRequest} exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeHttpPostRequest(request: HttpPostRequest): Uint8Array {
  const state = fresh();
  return pack(prepareHttpPostRequest(request, ""), state);
}

/** Encodes an {@link HttpResponse} exactly as `rmp-serde` does; `status` must be a u16. @throws WireEncodeError */
export function encodeHttpResponse(response: HttpResponse): Uint8Array {
  const state = fresh();
  return pack(prepareHttpResponse(response, "", state), state);
}

/** Encodes a {@link DnsRequest} exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeDnsRequest(request: DnsRequest): Uint8Array {
  const state = fresh();
  return pack(prepareDnsRequest(request, ""), state);
}

/** Encodes a {@link DnsResponse} exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeDnsResponse(response: DnsResponse): Uint8Array {
  const state = fresh();
  return pack(prepareDnsResponse(response, ""), state);
}

/** Encodes a {@link NetworkError} exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeNetworkError(error: NetworkError): Uint8Array {
  const state = fresh();
  return pack(prepareNetworkError(error, ""), state);
}

/** Encodes the HTTP imports' result envelope exactly as `rmp-serde` encodes the Rust `Result`. @throws WireEncodeError */
export function encodeHttpEnvelope(result: WireResult<HttpResponse, NetworkError>): Uint8Array {
  const state = fresh();
  return pack(prepareEnvelope(result, prepareHttpResponse, prepareNetworkError, state), state);
}

/** Encodes the `dns_resolve` result envelope exactly as `rmp-serde` does. @throws WireEncodeError */
export function encodeDnsEnvelope(result: WireResult<DnsResponse, NetworkError>): Uint8Array {
  const state = fresh();
  return pack(prepareEnvelope(result, prepareDnsResponse, prepareNetworkError, state), state);
}
