// Values → bytes identical to Rust `rmp-serde` `to_vec_named`. msgpackr does the packing; this module
// decides its options and prepares values so that msgpackr's choices coincide with rmp's:
// - maps get the smallest header (`variableMapSize`; msgpackr otherwise always writes map16);
// - no records, no extensions, no float32, `undefined` never reaches msgpackr (None is `null` → nil);
// - integers: msgpackr writes 32-bit values exactly like rmp (fixint, u8..u32, i8..i32), writes larger
//   numbers as float64 and positive bigints below 2^63 as int64 (0xd3), where rmp writes uint64 (0xcf) for
//   every non-negative value. So wide integers are handed over as bigints and the few 0xd3 markers with a
//   non-negative payload are flipped to 0xcf afterwards — the 8 payload bytes are the same in both formats.
import { Packr } from "msgpackr";
import { WireEncodeError } from "../errors.js";
import { fieldPath, indexPath, keyPath } from "./path.js";
import { NO_MEMBERS, newStringMap } from "./read.js";

const packr = new Packr({
  useRecords: false,
  variableMapSize: true,
  encodeUndefinedAsNil: true,
  useFloat32: 0,
  moreTypes: false,
  bundleStrings: false,
  largeBigIntToFloat: false,
});

/** Per-encode flags collected while preparing a value. */
export interface EncodeState {
  /** A non-negative integer ≥ 2^32 was prepared as a bigint; the output needs {@link fixUnsigned64}. */
  wide: boolean;
}

/**
 * Packs a prepared value. The result is msgpackr's `Buffer` (a `Uint8Array`), a fresh slice of its output
 * buffer that later encodes never overwrite.
 */
export function pack(value: unknown, state: EncodeState): Uint8Array {
  const out = packr.pack(value);
  if (state.wide) fixUnsigned64(out);
  return out;
}

const I32_MIN = -0x8000_0000;
const U32_MAX = 0xffff_ffff;
const I32_MIN_BIG = -0x8000_0000n;
const U32_MAX_BIG = 0xffff_ffffn;
const I64_MIN = -0x8000_0000_0000_0000n;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** Allowed values of an integer field, as numbers (fast path) and bigints (wide values). */
export interface IntRange {
  readonly label: string;
  readonly lo: number;
  readonly hi: number;
  readonly loBig: bigint;
  readonly hiBig: bigint;
}

function intRange(label: string, loBig: bigint, hiBig: bigint): IntRange {
  return { label, lo: Number(loBig), hi: Number(hiBig), loBig, hiBig };
}

/** Field-level ranges for {@link wireInt}. */
export const Range = {
  i32: intRange("i32", -0x8000_0000n, 0x7fff_ffffn),
  u16: intRange("u16", 0n, 0xffffn),
  /** u64 fields typed `number`: only exactly representable values. */
  u64Safe: intRange("u64", 0n, BigInt(Number.MAX_SAFE_INTEGER)),
  i64: intRange("i64", I64_MIN, 0x7fff_ffff_ffff_ffffn),
  /** Any integer the ABI can carry (generic encoding). */
  any: intRange("integer", I64_MIN, U64_MAX),
} as const;

/**
 * An integer ready for msgpackr: the number itself inside the 32-bit ranges msgpackr writes like rmp, a
 * bigint outside them (then `state.wide` is set when the value is positive).
 */
export function wireInt(
  value: unknown,
  parent: string,
  key: string | undefined,
  range: IntRange,
  state: EncodeState,
): number | bigint {
  if (typeof value === "number") {
    if (
      value >= I32_MIN &&
      value <= U32_MAX &&
      value >= range.lo &&
      value <= range.hi &&
      Number.isInteger(value)
    ) {
      return value;
    }
    if (!Number.isInteger(value)) {
      throw new WireEncodeError(fieldPath(parent, key), `expected ${range.label}, got ${value}`);
    }
    return wireInt(BigInt(value), parent, key, range, state);
  }
  if (typeof value === "bigint") {
    if (value < range.loBig || value > range.hiBig) {
      throw new WireEncodeError(fieldPath(parent, key), `${range.label} out of range: ${value}`);
    }
    if (value >= I32_MIN_BIG && value <= U32_MAX_BIG) return Number(value);
    if (value > 0n) state.wide = true;
    return value;
  }
  throw new WireEncodeError(fieldPath(parent, key), `expected ${range.label}, got ${typeof value}`);
}

/**
 * True when `v`'s own enumerable keys are exactly `fields`, in order. Such an object can be handed to
 * msgpackr as it is (after its fields were checked), saving a copy per encode; `undefined` fields are
 * written as nil like `null`.
 */
export function inFieldOrder(v: object, fields: readonly string[]): boolean {
  let i = 0;
  for (const k in v) {
    if (k !== fields[i]) return false;
    i++;
  }
  return i === fields.length;
}

/**
 * True when `s` is well-formed Unicode. A lone surrogate has no UTF-8 form: msgpackr would write CESU-8
 * bytes for short strings (which a Rust reader, and our decoder, reject) and U+FFFD for long ones, so such
 * strings are refused instead. (`isWellFormed` is ES2024, present in Node 20.)
 */
export function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function surrogateError(path: string): WireEncodeError {
  return new WireEncodeError(path, "string contains a lone surrogate (not valid Unicode)");
}

/** Required string field. */
export function wStr(value: unknown, parent: string, key: string): string {
  if (typeof value === "string") {
    if (wellFormed(value)) return value;
    throw surrogateError(keyPath(parent, key));
  }
  throw new WireEncodeError(keyPath(parent, key), `expected string, got ${kind(value)}`);
}

/** `Option<String>`: `undefined`/`null` → nil. */
export function wOptStr(value: unknown, parent: string, key: string): string | null {
  if (value === undefined || value === null) return null;
  return wStr(value, parent, key);
}

/** Required boolean field. */
export function wBool(value: unknown, parent: string, key: string): boolean {
  if (typeof value === "boolean") return value;
  throw new WireEncodeError(keyPath(parent, key), `expected boolean, got ${kind(value)}`);
}

/** Required bytes field (`Uint8Array`, including `Buffer`) → bin. */
export function wBytes(value: unknown, parent: string, key: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new WireEncodeError(keyPath(parent, key), `expected Uint8Array, got ${kind(value)}`);
}

/** `Option<Vec<u8>>`: `undefined`/`null` → nil. */
export function wOptBytes(value: unknown, parent: string, key: string): Uint8Array | null {
  if (value === undefined || value === null) return null;
  return wBytes(value, parent, key);
}

/** `Vec<String>`. */
export function wStrArray(value: unknown, parent: string, key: string): string[] {
  if (!Array.isArray(value))
    throw new WireEncodeError(keyPath(parent, key), `expected array, got ${kind(value)}`);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== "string") {
      throw new WireEncodeError(indexPath(keyPath(parent, key), i), `expected string, got ${kind(item)}`);
    }
    if (!wellFormed(item)) throw surrogateError(indexPath(keyPath(parent, key), i));
  }
  return value as string[];
}

/** `HashMap<String, String>`: a plain or null-prototype object whose own values are all strings. */
export function wStrMap(value: unknown, parent: string, key: string): Record<string, string> {
  if (!isPlainObject(value))
    throw new WireEncodeError(keyPath(parent, key), `expected object, got ${kind(value)}`);
  // for-in allocates no key array; the objects accepted here have no inherited enumerable keys.
  for (const k in value) {
    const v = value[k];
    if (typeof v !== "string") {
      throw new WireEncodeError(keyPath(keyPath(parent, key), k), `expected string, got ${kind(v)}`);
    }
    if (!wellFormed(k)) throw surrogateError(keyPath(parent, key));
    if (!wellFormed(v)) throw surrogateError(keyPath(keyPath(parent, key), k));
  }
  return value as Record<string, string>;
}

/**
 * True for `{}` literals, `Object.create(null)` maps and the string maps the decoders return — the only
 * objects the encoders write as maps.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || proto === NO_MEMBERS;
}

/** The single key of a data-variant object such as `{ Timeout: 30000 }`. */
export function variantName(e: unknown, path: string, what: string): string {
  if (!isPlainObject(e)) throw new WireEncodeError(path, `expected a ${what}`);
  const keys = Object.keys(e);
  if (keys.length !== 1) throw new WireEncodeError(path, `a ${what} data variant has exactly one key`);
  return keys[0]!;
}

/** JS-level name of what a value is, for error messages. */
export function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

const MAX_GENERIC_DEPTH = 64;

/**
 * Prepares an arbitrary ABI-shaped value for {@link pack}: objects keep their key order (struct field
 * order is the caller's job), `undefined`/`null` → nil, `Uint8Array` → bin, integers as above. Floats,
 * Maps, Dates, class instances, symbols, functions and cycles are refused: none is part of the ABI.
 */
export function prepareAny(value: unknown, path: string, state: EncodeState, depth = 0): unknown {
  switch (typeof value) {
    case "string":
      if (wellFormed(value)) return value;
      throw surrogateError(path);
    case "boolean":
      return value;
    case "undefined":
      return null;
    case "number":
    case "bigint":
      return wireInt(value, path, undefined, Range.any, state);
    case "object": {
      if (value === null) return null;
      if (depth >= MAX_GENERIC_DEPTH)
        throw new WireEncodeError(path, `nesting deeper than ${MAX_GENERIC_DEPTH} (a cycle?)`);
      if (value instanceof Uint8Array) return value;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++)
          out[i] = prepareAny(value[i], indexPath(path, i), state, depth + 1);
        return out;
      }
      if (isPlainObject(value)) {
        // No Object.prototype in the chain: a `__proto__` key stays an ordinary key.
        const out = newStringMap<unknown>();
        for (const k of Object.keys(value)) {
          if (!wellFormed(k)) throw surrogateError(path);
          out[k] = prepareAny(value[k], keyPath(path, k), state, depth + 1);
        }
        return out;
      }
      throw new WireEncodeError(path, `${kind(value)} is not an ABI value`);
    }
    default:
      throw new WireEncodeError(path, `${typeof value} is not an ABI value`);
  }
}

/**
 * Rewrites int64 markers (0xd3) whose value is non-negative to uint64 (0xcf), as rmp writes them. Walks
 * tokens linearly; containers have no payload of their own so no stack is needed. The input is msgpackr
 * output of a prepared value (no extensions).
 */
export function fixUnsigned64(out: Uint8Array): void {
  const end = out.length;
  let pos = 0;
  while (pos < end) {
    const t = out[pos++]!;
    if (t < 0xa0 || t >= 0xe0) continue; // fixint, fixmap, fixarray: header only
    if (t < 0xc0) {
      pos += t & 0x1f;
      continue;
    }
    switch (t) {
      case 0xc4:
        pos += 1 + out[pos]!;
        break;
      case 0xc5:
        pos += 2 + ((out[pos]! << 8) | out[pos + 1]!);
        break;
      case 0xc6:
        pos += 4 + u32(out, pos);
        break;
      case 0xd9:
        pos += 1 + out[pos]!;
        break;
      case 0xda:
        pos += 2 + ((out[pos]! << 8) | out[pos + 1]!);
        break;
      case 0xdb:
        pos += 4 + u32(out, pos);
        break;
      case 0xcc:
      case 0xd0:
        pos += 1;
        break;
      case 0xcd:
      case 0xd1:
      case 0xdc:
      case 0xde:
        pos += 2;
        break;
      case 0xca:
      case 0xce:
      case 0xd2:
      case 0xdd:
      case 0xdf:
        pos += 4;
        break;
      case 0xd3:
        if (out[pos]! < 0x80) out[pos - 1] = 0xcf;
        pos += 8;
        break;
      case 0xcb:
      case 0xcf:
        pos += 8;
        break;
      default:
        // nil, false, true: no payload
        break;
    }
  }
}

function u32(b: Uint8Array, pos: number): number {
  return ((b[pos]! << 24) >>> 0) + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!);
}
