// The one entry every `decodeX` goes through: the fast path first, the reference path when it declines.
import type { WireDecodeError } from "../errors.js";
import { type FastReader, fastDecode } from "./fastDecode.js";
import { type DecodeOptions, readableSource, unpackSource } from "./unpack.js";

/** The two ways to decode one message type. */
export interface DecodePaths<T> {
  /** Reads canonical layouts straight from the bytes; declines everything else. */
  readonly fast: FastReader<T>;
  /** Reads the value the reference path unpacked (scan + msgpackr); throws every {@link WireDecodeError}. */
  readonly reference: (value: unknown, path: string) => T;
}

/**
 * Decodes one message: the fast path first, the reference path for whatever it declines. The input is
 * checked (and shared memory copied) once, for both.
 */
export function decodeWith<T>(
  bytes: Uint8Array,
  options: DecodeOptions | undefined,
  paths: DecodePaths<T>,
): T {
  const source = readableSource(bytes);
  return fastDecode(source, options, paths.fast) ?? paths.reference(unpackSource(source, options), "");
}
