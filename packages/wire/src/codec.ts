// Generic encoders for callers holding an ABI-shaped value without a typed encoder. Prefer the typed
// `encodeX` functions: they also put struct fields in their Rust order and check each field's range.
import { prepareEnvelope } from "./internal/envelope.js";
import { type EncodeState, pack, prepareAny } from "./internal/write.js";
import type { WireResult } from "./types.js";

/**
 * Encodes any ABI-shaped value in the `rmp-serde` layout: objects become maps with their keys in
 * insertion order, `undefined`/`null` → nil, `Uint8Array` → bin, integers in the smallest format (numbers
 * or bigints up to u64/i64). Floats, Maps, Dates, class instances and cycles are refused.
 * @throws WireEncodeError naming the offending path.
 * @example
 * ```ts
 * encodeMessage({ records: ["1.2.3.4"] }); // 81 a7 "records" 91 a7 "1.2.3.4"
 * ```
 */
export function encodeMessage(value: unknown): Uint8Array {
  const state = { wide: false };
  return pack(prepareAny(value, "", state), state);
}

/**
 * Encodes a result envelope `{"Ok": v}` / `{"Err": e}` with the generic rules of {@link encodeMessage}.
 * @throws WireEncodeError when the value is not ABI-shaped or has not exactly one of `Ok` / `Err`.
 */
export function encodeEnvelope<T, E>(result: WireResult<T, E>): Uint8Array {
  const state: EncodeState = { wide: false };
  const any = (v: unknown, path: string, s: EncodeState): unknown => prepareAny(v, path, s, 1);
  return pack(prepareEnvelope(result, any, any, state), state);
}
