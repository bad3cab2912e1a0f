import type { DnsRecordType, DnsRequest, HttpMethod, HttpRequest } from "@platform-wasm/wire";
import { NetworkFailure } from "./failure.js";

/*
 * Second line of defence after the wire decoders: the engine relies on these exact shapes, so they are
 * re-checked here at the point of use (cheap, and it keeps a lax decoder from turning into a host throw).
 */

const METHODS: ReadonlySet<string> = new Set(["get", "post", "put", "patch", "delete", "head", "options"]);
const RECORD_TYPES: ReadonlySet<string> = new Set(["a", "aaaa", "cname", "txt"]);

function invalid(detail: string): NetworkFailure {
  return new NetworkFailure({ InvalidRequest: detail });
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw invalid(`${field}: expected a map`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string") throw invalid(`${field}: expected a string`);
  return value;
}

function bytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalid(`${field}: expected bin`);
  return value;
}

function headerMap(value: unknown): Record<string, string> {
  const source = record(value, "headers");
  const out: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(source)) {
    out[name] = text(headerValue, `headers.${name}`);
  }
  return out;
}

/** Checks a decoded `HttpRequest`. @throws NetworkFailure - `InvalidRequest`. */
export function httpRequestShape(value: unknown): HttpRequest {
  const map = record(value, "request");
  const method = text(map.method, "method");
  if (!METHODS.has(method)) throw invalid(`method: unknown method ${JSON.stringify(method)}`);
  return {
    method: method as HttpMethod,
    url: text(map.url, "url"),
    headers: headerMap(map.headers),
    body: bytes(map.body, "body"),
  };
}

/** Checks a decoded `HttpGetRequest` and widens it to a GET `HttpRequest`. */
export function httpGetShape(value: unknown): HttpRequest {
  const map = record(value, "request");
  return {
    method: "get",
    url: text(map.url, "url"),
    headers: headerMap(map.headers),
    body: new Uint8Array(0),
  };
}

/** Checks a decoded `HttpPostRequest` and widens it to a POST `HttpRequest`. */
export function httpPostShape(value: unknown): HttpRequest {
  const map = record(value, "request");
  return {
    method: "post",
    url: text(map.url, "url"),
    headers: headerMap(map.headers),
    body: bytes(map.body, "body"),
  };
}

/** Checks a decoded `DnsRequest`. */
export function dnsRequestShape(value: unknown): DnsRequest {
  const map = record(value, "request");
  const recordType = text(map.record_type, "record_type");
  if (!RECORD_TYPES.has(recordType)) throw invalid(`record_type: unknown type ${JSON.stringify(recordType)}`);
  return { hostname: text(map.hostname, "hostname"), record_type: recordType as DnsRecordType };
}
