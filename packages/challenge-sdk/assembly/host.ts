// Raw ABI v1 imports and the request/response exchange every typed wrapper goes through.
//
// Protocol (DESIGN.md "ABI v1"): call `fn(req, req_len, resp, resp_len)`. `r >= 0` is the envelope's
// length in the response buffer; `-1` means bad request memory; `r < -1` means the envelope needs `-r`
// bytes and the host kept it: grow the buffer to exactly `-r` bytes and fetch it with `take_result`.
// The operation itself runs once; it is never re-issued.
import { Reader } from "./msgpack/reader";

@external("platform_sandbox", "sandbox_exec")
declare function sandbox_exec(reqPtr: usize, reqLen: i32, respPtr: usize, respLen: i32): i32;
@external("platform_sandbox", "take_result")
declare function sandbox_take_result(respPtr: usize, respLen: i32): i32;
@external("platform_sandbox", "get_timestamp")
declare function get_timestamp(): i64;
@external("platform_sandbox", "log_message")
declare function log_message(level: i32, msgPtr: usize, msgLen: i32): void;

@external("platform_network", "http_request")
declare function http_request(reqPtr: usize, reqLen: i32, respPtr: usize, respLen: i32): i32;
@external("platform_network", "http_get")
declare function http_get(reqPtr: usize, reqLen: i32, respPtr: usize, respLen: i32): i32;
@external("platform_network", "http_post")
declare function http_post(reqPtr: usize, reqLen: i32, respPtr: usize, respLen: i32): i32;
@external("platform_network", "dns_resolve")
declare function dns_resolve(reqPtr: usize, reqLen: i32, respPtr: usize, respLen: i32): i32;
@external("platform_network", "take_result")
declare function network_take_result(respPtr: usize, respLen: i32): i32;

/** Size of the response buffer before any response needed more. */
export const INITIAL_RESPONSE_BUFFER_BYTES: i32 = 4096;

// Largest envelope the SDK will allocate for (AssemblyScript's ArrayBuffer limit, minus headroom).
const MAX_RESPONSE_BYTES: i32 = (1 << 30) - 64;

// One response buffer, reused by every call: it only grows (to exactly what a response needed), so memory
// stays bounded by the largest response rather than the number of calls. Responses are decoded (copied
// out) before the next call reuses it.
let responseBuffer: ArrayBuffer = new ArrayBuffer(INITIAL_RESPONSE_BUFFER_BYTES);

/** Current size of the SDK's response buffer (starts at {@link INITIAL_RESPONSE_BUFFER_BYTES}). */
export function responseBufferBytes(): i32 {
  return responseBuffer.byteLength;
}

/** @internal The raw envelope bytes of one host call, or why there are none. */
export class Exchange {
  constructor(
    /** The envelope (a view over the response buffer, valid until the next call). */
    readonly bytes: Uint8Array,
    /** `""` on success, else what went wrong in the protocol. */
    readonly problem: string,
  ) {}
}

function failed(problem: string): Exchange {
  return new Exchange(new Uint8Array(0), problem);
}

// The stub runtime traps when memory cannot grow. Grow first, so a response bigger than the instance's
// memory cap becomes an error value instead of a trap.
function reserveHeap(bytes: i32): bool {
  const probe = heap.alloc(0);
  heap.free(probe);
  const capacity = <usize>memory.size() << 16;
  const wanted = probe + <usize>bytes + 64;
  if (wanted <= capacity) return true;
  const pages = <i32>((wanted - capacity + 0xffff) >>> 16);
  return memory.grow(pages) >= 0;
}

// Each import has its own small function below, calling only its own import and its namespace's
// take_result, so a module imports exactly the host functions it uses (unused ones are not compiled in).

/** First step: the call's return code. `null` means "take_result into the (grown) buffer next". */
function afterCall(result: i32, buffer: ArrayBuffer): Exchange | null {
  if (result == -1) return failed("the host rejected the request memory (-1)");
  if (result >= 0) return finish(result, buffer);
  const needed = -(<i64>result);
  if (needed > <i64>MAX_RESPONSE_BYTES || !reserveHeap(<i32>needed)) {
    return failed("response of " + needed.toString() + " bytes does not fit in guest memory");
  }
  responseBuffer = new ArrayBuffer(<i32>needed);
  return null;
}

/** Second step: take_result's return code, for the buffer `afterCall` grew. */
function afterTake(result: i32): Exchange {
  if (result < 0) return failed("take_result returned " + result.toString());
  return finish(result, responseBuffer);
}

function finish(result: i32, buffer: ArrayBuffer): Exchange {
  if (result > buffer.byteLength) return failed("the host reported more bytes than the buffer holds");
  return new Exchange(Uint8Array.wrap(buffer, 0, result), "");
}

/** @internal `sandbox_exec` with the `-(needed)`/`take_result` protocol. */
export function sandboxExecExchange(request: Uint8Array): Exchange {
  const buffer = responseBuffer;
  const result = sandbox_exec(request.dataStart, request.byteLength, changetype<usize>(buffer), buffer.byteLength);
  const done = afterCall(result, buffer);
  if (done !== null) return done;
  return afterTake(sandbox_take_result(changetype<usize>(responseBuffer), responseBuffer.byteLength));
}

/** @internal `http_request` with the `-(needed)`/`take_result` protocol. */
export function httpRequestExchange(request: Uint8Array): Exchange {
  const buffer = responseBuffer;
  const result = http_request(request.dataStart, request.byteLength, changetype<usize>(buffer), buffer.byteLength);
  const done = afterCall(result, buffer);
  if (done !== null) return done;
  return afterTake(network_take_result(changetype<usize>(responseBuffer), responseBuffer.byteLength));
}

/** @internal `http_get` with the `-(needed)`/`take_result` protocol. */
export function httpGetExchange(request: Uint8Array): Exchange {
  const buffer = responseBuffer;
  const result = http_get(request.dataStart, request.byteLength, changetype<usize>(buffer), buffer.byteLength);
  const done = afterCall(result, buffer);
  if (done !== null) return done;
  return afterTake(network_take_result(changetype<usize>(responseBuffer), responseBuffer.byteLength));
}

/** @internal `http_post` with the `-(needed)`/`take_result` protocol. */
export function httpPostExchange(request: Uint8Array): Exchange {
  const buffer = responseBuffer;
  const result = http_post(request.dataStart, request.byteLength, changetype<usize>(buffer), buffer.byteLength);
  const done = afterCall(result, buffer);
  if (done !== null) return done;
  return afterTake(network_take_result(changetype<usize>(responseBuffer), responseBuffer.byteLength));
}

/** @internal `dns_resolve` with the `-(needed)`/`take_result` protocol. */
export function dnsResolveExchange(request: Uint8Array): Exchange {
  const buffer = responseBuffer;
  const result = dns_resolve(request.dataStart, request.byteLength, changetype<usize>(buffer), buffer.byteLength);
  const done = afterCall(result, buffer);
  if (done !== null) return done;
  return afterTake(network_take_result(changetype<usize>(responseBuffer), responseBuffer.byteLength));
}

/**
 * @internal Reads an envelope's tag: 0 for `{"Ok": …}`, 1 for `{"Err": …}`, -1 after a decode error
 * (the value follows the tag in the reader).
 */
export function readEnvelopeTag(r: Reader): i32 {
  const count = r.readMapHeader();
  if (!r.ok) return -1;
  if (count != 1) {
    r.fail("a result envelope is a map with exactly one key");
    return -1;
  }
  const key = r.readString();
  if (!r.ok) return -1;
  if (key == "Ok") return 0;
  if (key == "Err") return 1;
  r.fail("a result envelope's key is `Ok` or `Err`, not `" + key + "`");
  return -1;
}

/** Milliseconds since the Unix epoch: real time or the policy's fixed deterministic value. */
export function getTimestamp(): i64 {
  return get_timestamp();
}

/** Guest log levels (`log_message`'s `level`). */
export enum LogLevel {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
}

/** Sends `message` to the validator's logs (an OpenTelemetry log record tagged with the challenge id). */
export function log(level: LogLevel, message: string): void {
  const bytes = String.UTF8.encode(message);
  log_message(<i32>level, changetype<usize>(bytes), bytes.byteLength);
}

/** `log(LogLevel.Debug, message)`. */
export function logDebug(message: string): void {
  log(LogLevel.Debug, message);
}

/** `log(LogLevel.Info, message)`. */
export function logInfo(message: string): void {
  log(LogLevel.Info, message);
}

/** `log(LogLevel.Warn, message)`. */
export function logWarn(message: string): void {
  log(LogLevel.Warn, message);
}

/** `log(LogLevel.Error, message)`. */
export function logError(message: string): void {
  log(LogLevel.Error, message);
}
