import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { isWireDecodeError, type WireDecodeError } from "./errors.js";
import {
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
  encodeHttpEnvelope,
  encodeHttpRequest,
  encodeHttpResponse,
  encodeNetworkError,
  HTTP_METHODS,
} from "./networkCodec.js";
import type { HttpResponse } from "./types.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function decodeError(fn: () => unknown): WireDecodeError {
  try {
    fn();
  } catch (e) {
    if (isWireDecodeError(e)) return e;
    throw e;
  }
  throw new Error("decoded without error");
}

const body = new Uint8Array([1, 2, 3]);

describe("HTTP messages", () => {
  it("round-trip every method", () => {
    for (const method of HTTP_METHODS) {
      const req = { method, url: "https://example.com/", headers: { a: "b" }, body };
      expect(decodeHttpRequest(encodeHttpRequest(req))).toEqual(req);
    }
  });

  it("take methods in lowercase only", () => {
    const e = decodeError(() => decodeHttpRequest(encode({ method: "GET", url: "u", headers: {}, body })));
    expect(e.path).toBe("method");
    expect(e.message).toBe('method: unknown HTTP method "GET"');
    expect(
      decodeError(() => decodeHttpRequest(encode({ method: 1, url: "u", headers: {}, body }))).message,
    ).toMatch(/method: expected HTTP method/);
    expect(decodeError(() => decodeHttpRequest(encode({ url: "u", headers: {}, body }))).message).toMatch(
      /method: missing required field/,
    );
    expect(decodeHttpRequest(encode({ method: { post: null }, url: "u", headers: {}, body })).method).toBe(
      "post",
    );
    expect(() => encodeHttpRequest({ method: "GET" as never, url: "u", headers: {}, body })).toThrow(
      /method/,
    );
  });

  it("decode GET and POST requests and name their fields", () => {
    expect(decodeHttpGetRequest(encode({ url: "u", headers: { x: "y" } }))).toEqual({
      url: "u",
      headers: { x: "y" },
    });
    expect(decodeHttpPostRequest(encode({ url: "u", headers: {}, body }))).toEqual({
      url: "u",
      headers: {},
      body,
    });
    expect(decodeError(() => decodeHttpPostRequest(encode({ url: "u", headers: {} }))).message).toBe(
      "body: missing required field (expected bin)",
    );
    expect(decodeError(() => decodeHttpGetRequest(encode({ url: "u", headers: { "x-n": 5 } }))).path).toBe(
      'headers["x-n"]',
    );
  });

  it("range-check status as u16", () => {
    const enc = (status: unknown) => encode({ status, headers: {}, body });
    expect(decodeHttpResponse(enc(65_535)).status).toBe(65_535);
    expect(decodeError(() => decodeHttpResponse(enc(65_536))).message).toBe(
      "status: u16 out of range: 65536",
    );
    expect(decodeError(() => decodeHttpResponse(enc(-1))).message).toBe("status: u16 out of range: -1");
    expect(decodeError(() => decodeHttpResponse(enc("200"))).message).toBe(
      "status: expected u16, got string",
    );
    const ok: HttpResponse = { status: 200, headers: {}, body };
    expect(() => encodeHttpResponse({ ...ok, status: 70_000 })).toThrow(/status: u16 out of range/);
  });

  it("HTTP envelope: Ok, unit and data errors", () => {
    for (const env of [
      { Ok: { status: 204, headers: {}, body: new Uint8Array() } },
      { Err: "Timeout" as const },
      { Err: "NetworkDisabled" as const },
      { Err: { HttpFailure: "reset" } },
    ]) {
      expect(decodeHttpEnvelope(encodeHttpEnvelope(env))).toEqual(env);
    }
    expect(
      decodeError(() => decodeHttpEnvelope(encode({ Ok: { status: 1e6, headers: {}, body } }))).path,
    ).toBe("Ok.status");
  });
});

describe("DNS messages", () => {
  it("round-trip every record type", () => {
    for (const record_type of DNS_RECORD_TYPES) {
      expect(decodeDnsRequest(encodeDnsRequest({ hostname: "example.com", record_type }))).toEqual({
        hostname: "example.com",
        record_type,
      });
    }
    expect(decodeError(() => decodeDnsRequest(encode({ hostname: "h", record_type: "MX" }))).message).toBe(
      'record_type: unknown DNS record type "MX"',
    );
  });

  it("decode responses and envelopes", () => {
    expect(decodeDnsResponse(encode({ records: ["1.1.1.1"] }))).toEqual({ records: ["1.1.1.1"] });
    expect(decodeError(() => decodeDnsResponse(encode({ records: ["a", null] }))).message).toBe(
      "records[1]: expected string, got nil",
    );
    const env = { Ok: { records: [] } };
    expect(decodeDnsEnvelope(encodeDnsEnvelope(env))).toEqual(env);
    expect(decodeDnsEnvelope(encodeDnsEnvelope({ Err: { DnsFailure: "x" } }))).toEqual({
      Err: { DnsFailure: "x" },
    });
  });
});

describe("NetworkError", () => {
  it("has two unit variants and five data variants", () => {
    expect(hex(encodeNetworkError("Timeout"))).toBe(hex(encode("Timeout")));
    expect(hex(encodeNetworkError({ LimitExceeded: "n" }))).toBe(hex(encode({ LimitExceeded: "n" })));
    expect(decodeNetworkError(encode("NetworkDisabled"))).toBe("NetworkDisabled");
    expect(decodeNetworkError(encode({ InvalidRequest: "x" }))).toEqual({ InvalidRequest: "x" });
    expect(decodeError(() => decodeNetworkError(encode({ Timeout: 5 }))).message).toMatch(
      /unit variant Timeout carries no data/,
    );
    expect(decodeError(() => decodeNetworkError(encode({ DnsFailure: 5 }))).message).toBe(
      "DnsFailure: expected string, got integer",
    );
    expect(() => encodeNetworkError({ Timeout: 5 } as never)).toThrow(/unknown NetworkError variant/);
  });
});
