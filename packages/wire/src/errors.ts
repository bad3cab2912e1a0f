/** Stable codes of `@platform-wasm/wire` errors. */
export const WireErrorCode = {
  /** Bytes were not a well-formed MessagePack value of the expected ABI type. */
  WIRE_DECODE: "WIRE_DECODE",
  /** A value could not be encoded (e.g. a non-ABI shape was passed). */
  WIRE_ENCODE: "WIRE_ENCODE",
} as const;

/** One of {@link WireErrorCode}. */
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

/** Thrown by every `decode*` function when bytes are not a valid ABI message; `path` names the bad field. */
export class WireDecodeError extends Error {
  override readonly name = "WireDecodeError";
  readonly code = WireErrorCode.WIRE_DECODE;
  /** Path of the offending field, e.g. `args[3]`; empty for the root. */
  readonly path: string;
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${detail}` : detail, options);
    this.path = path;
  }
}

/** True when `error` is a {@link WireDecodeError}. */
export function isWireDecodeError(error: unknown): error is WireDecodeError {
  return error instanceof WireDecodeError;
}
