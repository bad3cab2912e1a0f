// Typed `platform_network` imports.
import { dnsResolveExchange, Exchange, httpGetExchange, httpPostExchange, httpRequestExchange, readEnvelopeTag } from "./host";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";
import {
  DnsRequest,
  DnsResponse,
  HttpGetRequest,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  NetworkErrorKind,
} from "./networkTypes";
import { err, ok, Result } from "./result";
import { StringMap } from "./stringMap";

function protocolError(what: string, bytes: i32, problem: string): NetworkError {
  return new NetworkError(
    NetworkErrorKind.HostProtocol,
    "unreadable " + what + " envelope (" + bytes.toString() + " bytes): " + problem,
  );
}

function httpResult(answer: Exchange): Result<HttpResponse, NetworkError> {
  if (answer.problem.length > 0) {
    return err<HttpResponse, NetworkError>(new NetworkError(NetworkErrorKind.HostProtocol, answer.problem));
  }
  const r = new Reader(answer.bytes);
  const tag = readEnvelopeTag(r);
  if (tag == 0) {
    const response = HttpResponse.decode(r);
    r.expectEnd();
    if (response !== null && r.ok) return ok<HttpResponse, NetworkError>(response);
  } else if (tag == 1) {
    const error = NetworkError.decode(r);
    r.expectEnd();
    if (error !== null && r.ok) return err<HttpResponse, NetworkError>(error);
  }
  return err<HttpResponse, NetworkError>(protocolError("HTTP", answer.bytes.length, r.error));
}

/** Any HTTP method (`http_request`). */
export function httpRequest(request: HttpRequest): Result<HttpResponse, NetworkError> {
  const w = new Writer();
  request.encode(w);
  return httpResult(httpRequestExchange(w.finish()));
}

/** `GET url` (`http_get`). */
export function httpGet(url: string, headers: StringMap = new StringMap()): Result<HttpResponse, NetworkError> {
  const request = new HttpGetRequest(url);
  request.headers = headers;
  const w = new Writer();
  request.encode(w);
  return httpResult(httpGetExchange(w.finish()));
}

/** `POST url` with `body` (`http_post`). */
export function httpPost(
  url: string,
  body: Uint8Array,
  headers: StringMap = new StringMap(),
): Result<HttpResponse, NetworkError> {
  const request = new HttpPostRequest(url, body);
  request.headers = headers;
  const w = new Writer();
  request.encode(w);
  return httpResult(httpPostExchange(w.finish()));
}

/** Resolves `hostname` (`dns_resolve`); `recordType` is one of {@link DnsRecordType}. */
export function dnsResolve(hostname: string, recordType: string = "a"): Result<DnsResponse, NetworkError> {
  const w = new Writer();
  new DnsRequest(hostname, recordType).encode(w);
  const answer = dnsResolveExchange(w.finish());
  if (answer.problem.length > 0) {
    return err<DnsResponse, NetworkError>(new NetworkError(NetworkErrorKind.HostProtocol, answer.problem));
  }
  const r = new Reader(answer.bytes);
  const tag = readEnvelopeTag(r);
  if (tag == 0) {
    const response = DnsResponse.decode(r);
    r.expectEnd();
    if (response !== null && r.ok) return ok<DnsResponse, NetworkError>(response);
  } else if (tag == 1) {
    const error = NetworkError.decode(r);
    r.expectEnd();
    if (error !== null && r.ok) return err<DnsResponse, NetworkError>(error);
  }
  return err<DnsResponse, NetworkError>(protocolError("DNS", answer.bytes.length, r.error));
}
