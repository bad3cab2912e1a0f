// Codec of the `platform_sandbox` messages: SandboxExecRequest, SandboxExecResponse, SandboxError and the
// sandbox_exec result envelope.
import { WireEncodeError } from "./errors.js";
import { decodeWith } from "./internal/decode.js";
import { envelopeReader, prepareEnvelope } from "./internal/envelope.js";
import { fastEnvelope, fastStruct, fastTagged, Kind } from "./internal/fastDecode.js";
import {
  bool,
  bytes,
  intInRange,
  optBytes,
  optStr,
  PayloadKind,
  str,
  strArray,
  strMap,
  struct,
  tagged,
  u64Field,
  variantReaders,
} from "./internal/read.js";
import type { DecodeOptions } from "./internal/unpack.js";
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
const SANDBOX_PAYLOADS = Object.assign(Object.create(null) as Record<string, PayloadKind>, {
  CommandNotAllowed: PayloadKind.Str,
  Timeout: PayloadKind.U64,
  OutputTooLarge: PayloadKind.U64,
  ExecutionFailed: PayloadKind.Str,
  PolicyViolation: PayloadKind.Str,
  LimitExceeded: PayloadKind.Str,
  IsolationUnavailable: PayloadKind.Str,
  InvalidRequest: PayloadKind.Str,
});
const SANDBOX_DATA = variantReaders(SANDBOX_PAYLOADS);

/** @internal Reads a {@link SandboxError} from an unpacked value. */
export function readSandboxError(value: unknown, path: string): SandboxError {
  return tagged(value, path, SANDBOX_UNITS, SANDBOX_DATA, "SandboxError") as SandboxError;
}

const readSandboxExecEnvelope = envelopeReader(readSandboxExecResponse, readSandboxError);

// Fast-path readers (see internal/fastDecode.ts); the reference readers above define what they must match.
const fastSandboxExecRequest = fastStruct(
  [
    { name: "command", kind: Kind.Str },
    { name: "args", kind: Kind.StrArray },
    { name: "env", kind: Kind.StrMap },
    { name: "stdin", kind: Kind.OptBytes },
    { name: "working_directory", kind: Kind.OptStr },
  ],
  (v): SandboxExecRequest => ({
    command: v[0] as string,
    args: v[1] as string[],
    env: v[2] as Record<string, string>,
    stdin: v[3] as Uint8Array | undefined,
    working_directory: v[4] as string | undefined,
  }),
);
const fastSandboxExecResponse = fastStruct(
  [
    { name: "exit_code", kind: Kind.Int, min: I32_MIN, max: I32_MAX },
    { name: "stdout", kind: Kind.Bytes },
    { name: "stderr", kind: Kind.Bytes },
    { name: "duration_ms", kind: Kind.Int, min: 0, max: Number.MAX_SAFE_INTEGER },
    { name: "stdout_truncated", kind: Kind.Bool },
    { name: "stderr_truncated", kind: Kind.Bool },
    { name: "signal", kind: Kind.OptStr },
  ],
  (v): SandboxExecResponse => ({
    exit_code: v[0] as number,
    stdout: v[1] as Uint8Array,
    stderr: v[2] as Uint8Array,
    duration_ms: v[3] as number,
    stdout_truncated: v[4] as boolean,
    stderr_truncated: v[5] as boolean,
    signal: v[6] as string | undefined,
  }),
);
const fastSandboxError = fastTagged<SandboxError>(SANDBOX_UNITS, SANDBOX_PAYLOADS);
const fastSandboxExecEnvelope = fastEnvelope(fastSandboxExecResponse, fastSandboxError);

/** @internal Both decoding paths of every sandbox message (decodeWith and the differential tests use them). */
export const SANDBOX_DECODERS = {
  SandboxExecRequest: { fast: fastSandboxExecRequest, reference: readSandboxExecRequest },
  SandboxExecResponse: { fast: fastSandboxExecResponse, reference: readSandboxExecResponse },
  SandboxError: { fast: fastSandboxError, reference: readSandboxError },
  SandboxEnvelope: { fast: fastSandboxExecEnvelope, reference: readSandboxExecEnvelope },
} as const;

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
  return decodeWith(bytes, options, SANDBOX_DECODERS.SandboxExecRequest);
}

/**
 * Decodes a {@link SandboxExecResponse}.
 * @throws WireDecodeError naming the offending field.
 */
export function decodeSandboxExecResponse(bytes: Uint8Array, options?: DecodeOptions): SandboxExecResponse {
  return decodeWith(bytes, options, SANDBOX_DECODERS.SandboxExecResponse);
}

/**
 * Decodes a {@link SandboxError} (`"SandboxDisabled"` or a one-key map such as `{"Timeout": 30000}`).
 * @throws WireDecodeError for unknown variants or payloads of the wrong type.
 */
export function decodeSandboxError(bytes: Uint8Array, options?: DecodeOptions): SandboxError {
  return decodeWith(bytes, options, SANDBOX_DECODERS.SandboxError);
}

/**
 * Decodes the `sandbox_exec` result envelope: `{"Ok": SandboxExecResponse}` or `{"Err": SandboxError}`.
 * @throws WireDecodeError with paths such as `Ok.exit_code` or `Err.Timeout`.
 */
export function decodeSandboxExecEnvelope(
  bytes: Uint8Array,
  options?: DecodeOptions,
): WireResult<SandboxExecResponse, SandboxError> {
  return decodeWith(bytes, options, SANDBOX_DECODERS.SandboxEnvelope);
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
    [name]:
      SANDBOX_PAYLOADS[name] === PayloadKind.U64
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
