/** Stable codes of `@platform-wasm/wire` errors. */
export const WireErrorCode = {
  /** Bytes were not a well-formed MessagePack value of the expected ABI type. */
  WIRE_DECODE: "WIRE_DECODE",
  /** A value could not be encoded (e.g. a non-ABI shape was passed). */
  WIRE_ENCODE: "WIRE_ENCODE",
} as const;

/** One of {@link WireErrorCode}. */
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

/**
 * Thrown by every `decode*` function when bytes are not a valid ABI message; `path` names the bad field.
 * @example
 * ```ts
 * try { decodeSandboxExecRequest(bytes); } catch (e) { if (isWireDecodeError(e)) log(e.path, e.message); }
 * ```
 */
export class WireDecodeError extends Error {
  override readonly name = "WireDecodeError";
  readonly code = WireErrorCode.WIRE_DECODE;
  /** Path of the offending field, e.g. `args[3]`; empty for the root. */
  readonly path: string;
  /**
   * @param path - path of the offending field (`""` for the root).
   * @param detail - what was wrong, e.g. `expected string`.
   * @param options - `cause` when another error led to this one.
   */
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${detail}` : detail, options);
    this.path = path;
  }
}

/** True when `error` is a {@link WireDecodeError}. */
export function isWireDecodeError(error: unknown): error is WireDecodeError {
  return error instanceof WireDecodeError;
}

/**
 * Thrown by `encode*` functions (and the bridge) when a value is not an ABI shape: a float where the ABI
 * has integers, an integer out of its field's range, a non-`Uint8Array` byte field, a cycle, data that is
 * not JSON. Encoding never silently produces bytes a Rust `rmp-serde` reader would reject.
 */
export class WireEncodeError extends Error {
  override readonly name = "WireEncodeError";
  readonly code = WireErrorCode.WIRE_ENCODE;
  /** Path of the offending field, e.g. `Ok.exit_code`; empty for the root. */
  readonly path: string;
  /**
   * @param path - path of the offending field (`""` for the root).
   * @param detail - what was wrong.
   * @param options - `cause` when another error led to this one.
   */
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${detail}` : detail, options);
    this.path = path;
  }
}

/** True when `error` is a {@link WireEncodeError}. */
export function isWireEncodeError(error: unknown): error is WireEncodeError {
  return error instanceof WireEncodeError;
}
