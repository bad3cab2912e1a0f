// Generic encoders for callers holding an ABI-shaped value without a typed encoder. Prefer the typed
// `encodeX` functions: they also put struct fields in their Rust order and check each field's range.
import { prepareEnvelope } from "./internal/envelope.js";
import { type EncodeState, isPlainObject, pack, prepareAny } from "./internal/write.js";
import { prepareDnsResponse, prepareHttpResponse } from "./networkCodec.js";
import { prepareSandboxExecResponse } from "./sandboxCodec.js";
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

/** Response structs recognised inside a generic envelope, by their exact key set. */
const KNOWN_RESPONSES: readonly {
  readonly keys: ReadonlySet<string>;
  readonly prepare: (v: never, path: string, state: EncodeState) => unknown;
}[] = [
  {
    keys: new Set([
      "exit_code",
      "stdout",
      "stderr",
      "duration_ms",
      "stdout_truncated",
      "stderr_truncated",
      "signal",
    ]),
    prepare: prepareSandboxExecResponse,
  },
  { keys: new Set(["status", "headers", "body"]), prepare: prepareHttpResponse },
  { keys: new Set(["records"]), prepare: prepareDnsResponse },
];

/**
 * An `Ok` payload whose keys are exactly those of an ABI response struct is prepared by that struct's typed
 * encoder (struct field order, range checks) whatever order the handler built it in; anything else is
 * encoded generically.
 */
function prepareOk(v: unknown, path: string, state: EncodeState): unknown {
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    for (const known of KNOWN_RESPONSES) {
      if (keys.length === known.keys.size && keys.every((k) => known.keys.has(k))) {
        return known.prepare(v as never, path, state);
      }
    }
  }
  return prepareAny(v, path, state, 1);
}

/**
 * Encodes a result envelope `{"Ok": v}` / `{"Err": e}` with the rules of {@link encodeMessage}. An `Ok`
 * payload with exactly the fields of `SandboxExecResponse`, `HttpResponse` or `DnsResponse` is written by
 * that type's encoder, so its fields come out in Rust struct order and range-checked.
 * @throws WireEncodeError when the value is not ABI-shaped or has not exactly one of `Ok` / `Err`.
 */
export function encodeEnvelope<T, E>(result: WireResult<T, E>): Uint8Array {
  const state: EncodeState = { wide: false };
  const err = (v: unknown, path: string, s: EncodeState): unknown => prepareAny(v, path, s, 1);
  return pack(prepareEnvelope(result, prepareOk, err, state), state);
}
