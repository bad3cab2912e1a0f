// Codec of the `platform_sandbox` messages: SandboxExecRequest, SandboxExecResponse, SandboxError and the
// sandbox_exec result envelope.
import { WireEncodeError } from "./errors.js";
import { envelopeReader, prepareEnvelope } from "./internal/envelope.js";
import {
  bool,
  bytes,
  intInRange,
  optBytes,
  optStr,
  str,
  strArray,
  stringPayload,
  strMap,
  struct,
  tagged,
  u64Field,
  u64Payload,
  type VariantReader,
} from "./internal/read.js";
import { type DecodeOptions, unpackUntrusted } from "./internal/unpack.js";
import {
  type EncodeState,
  inFieldOrder,
  isPlainObject,
  pack,
  Range,
  variantName,
  wBool,
  wBytes,
  wireInt,
  wOptBytes,
  wOptStr,
  wStr,
  wStrArray,
  wStrMap,
} from "./internal/write.js";
import type { SandboxError, SandboxExecRequest, SandboxExecResponse, WireResult } from "./types.js";

const I32_MIN = -0x8000_0000;
const I32_MAX = 0x7fff_ffff;

/** @internal Reads a {@link SandboxExecRequest} from an unpacked value. */
export function readSandboxExecRequest(value: unknown, path: string): SandboxExecRequest {
  const o = struct(value, path);
  return {
    command: str(o, "command", path),
    args: strArray(o, "args", path),
    env: strMap(o, "env", path),
    stdin: optBytes(o, "stdin", path),
    working_directory: optStr(o, "working_directory", path),
  };
}

/** @internal Reads a {@link SandboxExecResponse} from an unpacked value. */
export function readSandboxExecResponse(value: unknown, path: string): SandboxExecResponse {
  const o = struct(value, path);
  return {
    exit_code: intInRange(o, "exit_code", path, I32_MIN, I32_MAX, "i32"),
    stdout: bytes(o, "stdout", path),
    stderr: bytes(o, "stderr", path),
    duration_ms: u64Field(o, "duration_ms", path),
    stdout_truncated: bool(o, "stdout_truncated", path),
    stderr_truncated: bool(o, "stderr_truncated", path),
    signal: optStr(o, "signal", path),
  };
}

const SANDBOX_UNITS: ReadonlySet<string> = new Set(["SandboxDisabled"]);
const SANDBOX_DATA = Object.assign(Object.create(null) as Record<string, VariantReader>, {
  CommandNotAllowed: stringPayload,
  Timeout: u64Payload,
  OutputTooLarge: u64Payload,
  ExecutionFailed: stringPayload,
  PolicyViolation: stringPayload,
  LimitExceeded: stringPayload,
  IsolationUnavailable: stringPayload,
  InvalidRequest: stringPayload,
});
const SANDBOX_U64_VARIANTS: ReadonlySet<string> = new Set(["Timeout", "OutputTooLarge"]);

/** @internal Reads a {@link SandboxError} from an unpacked value. */
export function readSandboxError(value: unknown, path: string): SandboxError {
  return tagged(value, path, SANDBOX_UNITS, SANDBOX_DATA, "SandboxError") as SandboxError;
}

const readSandboxExecEnvelope = envelopeReader(readSandboxExecResponse, readSandboxError);

/**
 * Decodes a {@link SandboxExecRequest} (what a guest passes to `sandbox_exec`).
 * @param bytes - untrusted MessagePack bytes, exactly one message.
 * @param options - see {@link DecodeOptions}.
 * @throws WireDecodeError naming the offending field, e.g. `args[3]: expected string, got integer`.
 * @example
 * ```ts
 * const req = decodeSandboxExecRequest(bytes);
 * req.command; // "cat"
 * ```
 */
export function decodeSandboxExecRequest(bytes: Uint8Array, options?: DecodeOptions): SandboxExecRequest {
  return readSandboxExecRequest(unpackUntrusted(bytes, options), "");
}

/**
 * Decodes a {@link SandboxExecResponse}.
 * @throws WireDecodeError naming the offending field.
 */
export function decodeSandboxExecResponse(bytes: Uint8Array, options?: DecodeOptions): SandboxExecResponse {
  return readSandboxExecResponse(unpackUntrusted(bytes, options), "");
}

/**
 * Decodes a {@link SandboxError} (`"SandboxDisabled"` or a one-key map such as `{"Timeout": 30000}`).
 * @throws WireDecodeError for unknown variants or payloads of the wrong type.
 */
export function decodeSandboxError(bytes: Uint8Array, options?: DecodeOptions): SandboxError {
  return readSandboxError(unpackUntrusted(bytes, options), "");
}

/**
 * Decodes the `sandbox_exec` result envelope: `{"Ok": SandboxExecResponse}` or `{"Err": SandboxError}`.
 * @throws WireDecodeError with paths such as `Ok.exit_code` or `Err.Timeout`.
 */
export function decodeSandboxExecEnvelope(
  bytes: Uint8Array,
  options?: DecodeOptions,
): WireResult<SandboxExecResponse, SandboxError> {
  return readSandboxExecEnvelope(unpackUntrusted(bytes, options));
}

const REQUEST_FIELDS = ["command", "args", "env", "stdin", "working_directory"] as const;
const RESPONSE_FIELDS = [
  "exit_code",
  "stdout",
  "stderr",
  "duration_ms",
  "stdout_truncated",
  "stderr_truncated",
  "signal",
] as const;

/** @internal Field-ordered, packable form of a request. */
export function prepareSandboxExecRequest(v: SandboxExecRequest, path: string): unknown {
  if (!isPlainObject(v)) throw new WireEncodeError(path, "expected a SandboxExecRequest object");
  const command = wStr(v.command, path, "command");
  const args = wStrArray(v.args, path, "args");
  const env = wStrMap(v.env, path, "env");
  const stdin = wOptBytes(v.stdin, path, "stdin");
  const working_directory = wOptStr(v.working_directory, path, "working_directory");
  if (inFieldOrder(v, REQUEST_FIELDS)) return v;
  return { command, args, env, stdin, working_directory };
}

/** @internal Field-ordered, packable form of a response. */
export function prepareSandboxExecResponse(
  v: SandboxExecResponse,
  path: string,
  state: EncodeState,
): unknown {
  if (!isPlainObject(v)) throw new WireEncodeError(path, "expected a SandboxExecResponse object");
  const exit_code = wireInt(v.exit_code, path, "exit_code", Range.i32, state);
  const stdout = wBytes(v.stdout, path, "stdout");
  const stderr = wBytes(v.stderr, path, "stderr");
  const duration_ms = wireInt(v.duration_ms, path, "duration_ms", Range.u64Safe, state);
  const stdout_truncated = wBool(v.stdout_truncated, path, "stdout_truncated");
  const stderr_truncated = wBool(v.stderr_truncated, path, "stderr_truncated");
  const signal = wOptStr(v.signal, path, "signal");
  if (duration_ms === v.duration_ms && inFieldOrder(v, RESPONSE_FIELDS)) return v;
  return { exit_code, stdout, stderr, duration_ms, stdout_truncated, stderr_truncated, signal };
}

/** @internal Packable form of a {@link SandboxError}: unit variant → string, data variant → one-key map. */
export function prepareSandboxError(e: SandboxError, path: string, state: EncodeState): unknown {
  if (typeof e === "string") {
    if (SANDBOX_UNITS.has(e)) return e;
    throw new WireEncodeError(path, `unknown SandboxError unit variant ${JSON.stringify(e)}`);
  }
  const name = variantName(e, path, "SandboxError");
  if (!Object.hasOwn(SANDBOX_DATA, name)) {
    throw new WireEncodeError(path, `unknown SandboxError variant ${JSON.stringify(name)}`);
  }
  const payload = (e as Record<string, unknown>)[name];
  return {
    [name]: SANDBOX_U64_VARIANTS.has(name)
      ? wireInt(payload, path, name, Range.u64Safe, state)
      : wStr(payload, path, name),
  };
}

/**
 * Encodes a {@link SandboxExecRequest} exactly as Rust `rmp_serde::to_vec_named` does (fields in struct
 * order, `undefined` → nil, bytes → bin).
 * @throws WireEncodeError when `request` is not a valid request.
 * @example
 * ```ts
 * encodeSandboxExecRequest({ command: "cat", args: [], env: {}, stdin: undefined, working_directory: undefined });
 * ```
 */
export function encodeSandboxExecRequest(request: SandboxExecRequest): Uint8Array {
  const state: EncodeState = { wide: false };
  return pack(prepareSandboxExecRequest(request, ""), state);
}

/**
 * Encodes a {@link SandboxExecResponse} exactly as `rmp-serde` does.
 * @throws WireEncodeError when a field is out of its ABI range (e.g. `exit_code` beyond i32).
 */
export function encodeSandboxExecResponse(response: SandboxExecResponse): Uint8Array {
  const state: EncodeState = { wide: false };
  return pack(prepareSandboxExecResponse(response, "", state), state);
}

/** Encodes a {@link SandboxError} exactly as `rmp-serde` does. */
export function encodeSandboxError(error: SandboxError): Uint8Array {
  const state: EncodeState = { wide: false };
  return pack(prepareSandboxError(error, "", state), state);
}

/**
 * Encodes the `sandbox_exec` result envelope (`{"Ok": response}` / `{"Err": error}`) exactly as `rmp-serde`
 * encodes a `Result<SandboxExecResponse, SandboxError>`.
 */
export function encodeSandboxExecEnvelope(result: WireResult<SandboxExecResponse, SandboxError>): Uint8Array {
  const state: EncodeState = { wide: false };
  return pack(prepareEnvelope(result, prepareSandboxExecResponse, prepareSandboxError, state), state);
}
