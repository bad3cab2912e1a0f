// Test-only module: decodes a MessagePack ABI message of a given kind and re-encodes it, so the host-side
// tests can check the SDK codec byte for byte against @platform-wasm/wire's golden vectors.
import { EvaluationInput, EvaluationOutput } from "../evaluation";
import { Reader } from "../msgpack/reader";
import { Writer } from "../msgpack/writer";
import {
  DnsRequest,
  DnsResponse,
  HttpGetRequest,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
} from "../networkTypes";
import { SandboxError, SandboxExecRequest, SandboxExecResponse } from "../sandboxTypes";
import { readEnvelopeTag } from "../host";
import { parseJsonNumber, parseJsonString } from "../json";
export { alloc } from "../exports";

// Kinds, in the order of the host test's table.
const SANDBOX_EXEC_REQUEST = 0;
const SANDBOX_EXEC_RESPONSE = 1;
const SANDBOX_ERROR = 2;
const HTTP_REQUEST = 3;
const HTTP_GET_REQUEST = 4;
const HTTP_POST_REQUEST = 5;
const HTTP_RESPONSE = 6;
const DNS_REQUEST = 7;
const DNS_RESPONSE = 8;
const NETWORK_ERROR = 9;
const EVALUATION_INPUT = 10;
const EVALUATION_OUTPUT = 11;
const SANDBOX_ENVELOPE = 12;
const HTTP_ENVELOPE = 13;
const DNS_ENVELOPE = 14;

function decodeOne(kind: i32, r: Reader, w: Writer): void {
  switch (kind) {
    case SANDBOX_EXEC_REQUEST: {
      const v = SandboxExecRequest.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case SANDBOX_EXEC_RESPONSE: {
      const v = SandboxExecResponse.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case SANDBOX_ERROR: {
      const v = SandboxError.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case HTTP_REQUEST: {
      const v = HttpRequest.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case HTTP_GET_REQUEST: {
      const v = HttpGetRequest.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case HTTP_POST_REQUEST: {
      const v = HttpPostRequest.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case HTTP_RESPONSE: {
      const v = HttpResponse.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case DNS_REQUEST: {
      const v = DnsRequest.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case DNS_RESPONSE: {
      const v = DnsResponse.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case NETWORK_ERROR: {
      const v = NetworkError.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case EVALUATION_INPUT: {
      const v = EvaluationInput.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    case EVALUATION_OUTPUT: {
      const v = EvaluationOutput.decode(r);
      if (v !== null) v.encode(w);
      break;
    }
    default: {
      // Envelopes: {"Ok": response} / {"Err": error}.
      const tag = readEnvelopeTag(r);
      if (tag < 0) return;
      w.writeMapHeader(1);
      w.writeString(tag == 0 ? "Ok" : "Err");
      if (kind == SANDBOX_ENVELOPE) decodeOne(tag == 0 ? SANDBOX_EXEC_RESPONSE : SANDBOX_ERROR, r, w);
      else if (kind == HTTP_ENVELOPE) decodeOne(tag == 0 ? HTTP_RESPONSE : NETWORK_ERROR, r, w);
      else if (kind == DNS_ENVELOPE) decodeOne(tag == 0 ? DNS_RESPONSE : NETWORK_ERROR, r, w);
      else r.fail("unknown kind");
    }
  }
}

// Result layout: one status byte (0 = re-encoded message follows, 1 = UTF-8 error text follows).
function answer(status: u8, body: Uint8Array): i64 {
  const out = new Uint8Array(body.byteLength + 1);
  out[0] = status;
  out.set(body, 1);
  return (<i64>out.byteLength << 32) | <i64>(<u32>out.dataStart);
}

/** Decodes `len` bytes at `ptr` as message `kind` and re-encodes it. */
export function roundtrip(kind: i32, ptr: usize, len: i32): i64 {
  const bytes = new Uint8Array(len);
  memory.copy(bytes.dataStart, ptr, <usize>len);
  const r = new Reader(bytes);
  const w = new Writer();
  decodeOne(kind, r, w);
  r.expectEnd();
  if (!r.ok) return answer(1, Uint8Array.wrap(String.UTF8.encode(r.error)));
  return answer(0, w.finish());
}

/** JSON helper probe: `parseJsonString(json, key)` (status 1 when null). */
export function json_string(jsonPtr: usize, jsonLen: i32, keyPtr: usize, keyLen: i32): i64 {
  const json = String.UTF8.decodeUnsafe(jsonPtr, <usize>jsonLen);
  const key = String.UTF8.decodeUnsafe(keyPtr, <usize>keyLen);
  const value = parseJsonString(json, key);
  if (value === null) return answer(1, new Uint8Array(0));
  return answer(0, Uint8Array.wrap(String.UTF8.encode(value)));
}

/** JSON helper probe: `parseJsonNumber(json, key)`. */
export function json_number(jsonPtr: usize, jsonLen: i32, keyPtr: usize, keyLen: i32): f64 {
  const json = String.UTF8.decodeUnsafe(jsonPtr, <usize>jsonLen);
  const key = String.UTF8.decodeUnsafe(keyPtr, <usize>keyLen);
  return parseJsonNumber(json, key);
}
