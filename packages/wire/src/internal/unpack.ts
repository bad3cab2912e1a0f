// Untrusted bytes → plain JS value: the structural guard first, then msgpackr. Only this module touches
// the msgpackr Unpackr, so its options are decided in one place.
import { Unpackr } from "msgpackr";
import { WireDecodeError } from "../errors.js";
import { newStringMap } from "./read.js";
import { scan } from "./scan.js";

/** Options shared by every `decode*` function. */
export interface DecodeOptions {
  /**
   * Copy `bin` fields out of the input instead of returning views into it. Default `false` (zero-copy,
   * like msgpackr). Set it when the input buffer will be reused. (Input in a `SharedArrayBuffer` is always
   * copied before it is read.)
   */
  readonly copyBytes?: boolean;
}

// Records, structures, bundled strings and extensions are never produced: the scan rejects every
// extension byte before msgpackr runs, and these options keep msgpackr from expecting any of them.
// uint64/int64 come back as bigints; the field readers narrow them to numbers where the value is safe.
const base = { useRecords: false, moreTypes: false, int64AsType: "bigint", bundleStrings: false } as const;
const objects = new Unpackr({ ...base, mapsAsObjects: true });
const objectsCopy = new Unpackr({ ...base, mapsAsObjects: true, copyBuffers: true });
// msgpackr renames a `__proto__` key to `__proto_` when building plain objects. Messages that carry such a
// key take this slower path instead: Maps, converted to objects without inherited members that keep the key as data.
const maps = new Unpackr({ ...base, mapsAsObjects: false });
const mapsCopy = new Unpackr({ ...base, mapsAsObjects: false, copyBuffers: true });

/**
 * The caller's bytes as a plain `Uint8Array` that both decoding paths may read: a `Buffer` becomes a plain
 * view (so `bin` fields come back as plain `Uint8Array`s and the readers stay monomorphic), and shared
 * memory is copied first, because another thread (a guest) could change it while it is being read and
 * msgpackr cannot read strings out of a `SharedArrayBuffer`.
 * @throws WireDecodeError when `bytes` is not a `Uint8Array`, or cannot be read.
 */
export function readableSource(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array))
    throw new WireDecodeError("", "expected a Uint8Array of MessagePack bytes");
  try {
    if (!(bytes.buffer instanceof ArrayBuffer)) return Uint8Array.prototype.slice.call(bytes);
    return bytes.constructor === Uint8Array
      ? bytes
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (cause) {
    throw notReadable(cause);
  }
}

/**
 * Decodes one MessagePack value from a {@link readableSource} after the structural guard accepted it. Maps
 * come back as objects (without inherited members when the message has a `__proto__` key), `bin` as
 * `Uint8Array`, integers as number or bigint.
 * @throws WireDecodeError for anything that is not one well-formed, ABI-compatible MessagePack value.
 */
export function unpackSource(source: Uint8Array, options: DecodeOptions | undefined): unknown {
  // msgpackr caches a DataView as a property of the array it is given; hand it a view of our own so the
  // caller's object is never modified. (A plain Uint8Array also keeps the scan monomorphic.)
  let view: Uint8Array;
  try {
    view = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  } catch (cause) {
    throw notReadable(cause);
  }
  const { protoKey } = scan(view);
  const copy = options?.copyBytes === true;
  try {
    if (!protoKey) return (copy ? objectsCopy : objects).unpack(view);
    return mapsToObjects((copy ? mapsCopy : maps).unpack(view));
  } catch (cause) {
    // The guard makes this unreachable for every input we know of; keep the contract if msgpackr disagrees.
    throw new WireDecodeError("", "malformed MessagePack", { cause });
  }
}

/** {@link unpackSource} of {@link readableSource}: untrusted bytes → plain JS value. */
export function unpackUntrusted(bytes: Uint8Array, options: DecodeOptions | undefined): unknown {
  return unpackSource(readableSource(bytes), options);
}

function notReadable(cause: unknown): WireDecodeError {
  return new WireDecodeError("", "input is not readable (a detached buffer?)", { cause });
}

/** Replaces every Map (string keys, guaranteed by the scan) by an object without inherited members. Depth ≤ MAX_DEPTH. */
function mapsToObjects(value: unknown): unknown {
  if (value instanceof Map) {
    const out = newStringMap<unknown>();
    for (const [key, entry] of value) out[key as string] = mapsToObjects(entry);
    return out;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = mapsToObjects(value[i]);
  }
  return value;
}
