// Field readers used by the per-message decoders. Each takes the unpacked map, the field's key and the
// path of the map, and either returns the typed value or throws WireDecodeError naming the field. Paths
// are built only when throwing.
import { WireDecodeError } from "../errors.js";
import { fieldPath, indexPath, keyPath } from "./path.js";

/** An unpacked MessagePack map. Keys are own properties; reading a field never consults a prototype that
 * could hold a decoded key (maps with a `__proto__` key arrive as objects without inherited members). */
export type Fields = Record<string, unknown>;

/** Largest u64 / smallest and largest i64 as bigints. */
const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7fff_ffff_ffff_ffffn;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Short MessagePack-level name of what a value is, for "expected X, got Y" messages. */
function describe(value: unknown): string {
  if (value === null) return "nil";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "float";
  if (typeof value === "bigint") return "integer";
  if (typeof value === "string" || typeof value === "boolean") return typeof value;
  if (value instanceof Uint8Array) return "bin";
  if (Array.isArray(value)) return "array";
  return "map";
}

/** Throws the error for field `key` of the map at `parent` holding `value` where `expected` was needed. */
export function wrongType(parent: string, key: string, value: unknown, expected: string): never {
  const detail =
    value === undefined
      ? `missing required field (expected ${expected})`
      : `expected ${expected}, got ${describe(value)}`;
  throw new WireDecodeError(keyPath(parent, key), detail);
}

/** True for an unpacked map (an object; never an array or bin). */
export function isFields(value: unknown): value is Fields {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** The root (or a nested) struct: must be a map. */
export function struct(value: unknown, path: string): Fields {
  if (isFields(value)) return value;
  throw new WireDecodeError(path, `expected map, got ${describe(value)}`);
}

/** A required struct field holding a map. */
export function structField(o: Fields, key: string, parent: string): Fields {
  const v = o[key];
  if (isFields(v)) return v;
  return wrongType(parent, key, v, "map");
}

/** Required `str`. */
export function str(o: Fields, key: string, parent: string): string {
  const v = o[key];
  if (typeof v === "string") return v;
  return wrongType(parent, key, v, "string");
}

/** `str | nil`, absent = nil. */
export function optStr(o: Fields, key: string, parent: string): string | undefined {
  const v = o[key];
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return undefined;
  return wrongType(parent, key, v, "string or nil");
}

/** Required `bool`. */
export function bool(o: Fields, key: string, parent: string): boolean {
  const v = o[key];
  if (typeof v === "boolean") return v;
  return wrongType(parent, key, v, "boolean");
}

/**
 * Required bytes. `bin` is the ABI layout; an array of integers 0..255 is also accepted because that is
 * what `rmp-serde` writes for a `Vec<u8>` field that lacks `serde_bytes` (the scan bounds its length).
 */
export function bytes(o: Fields, key: string, parent: string): Uint8Array {
  const v = o[key];
  if (v instanceof Uint8Array) return plainBytes(v);
  if (Array.isArray(v)) return byteArray(v, keyPath(parent, key));
  return wrongType(parent, key, v, "bin");
}

/** `bin | nil`, absent = nil. */
export function optBytes(o: Fields, key: string, parent: string): Uint8Array | undefined {
  const v = o[key];
  if (v instanceof Uint8Array) return plainBytes(v);
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return byteArray(v, keyPath(parent, key));
  return wrongType(parent, key, v, "bin or nil");
}

/** msgpackr hands out `Buffer` views when the input is a `Buffer`; the API promises plain `Uint8Array`. */
function plainBytes(v: Uint8Array): Uint8Array {
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function byteArray(items: unknown[], path: string): Uint8Array {
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const b = items[i];
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) {
      throw new WireDecodeError(indexPath(path, i), `expected integer 0..255, got ${describe(b)}`);
    }
    out[i] = b;
  }
  return out;
}

/** Required `[str]`. The unpacked array is returned as is (it is fresh and owned by the caller). */
export function strArray(o: Fields, key: string, parent: string): string[] {
  const v = o[key];
  if (!Array.isArray(v)) return wrongType(parent, key, v, "array of strings");
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "string") {
      throw new WireDecodeError(indexPath(keyPath(parent, key), i), `expected string, got ${describe(v[i])}`);
    }
  }
  return v as string[];
}

/**
 * Prototype of decoded string maps: empty, frozen, and itself without a prototype, so looking up an absent
 * name (`"toString"`, `"constructor"`) yields `undefined` and a `__proto__` key is plain data. (Objects
 * made by `Object.create(null)` would do the same but start in V8's slow dictionary mode.)
 */
export const NO_MEMBERS: object = Object.freeze(Object.create(null) as object);

/** A new empty string map (see {@link NO_MEMBERS}). */
export function newStringMap<T>(): Record<string, T> {
  return Object.create(NO_MEMBERS) as Record<string, T>;
}

/**
 * Required `{str: str}`, copied into a {@link newStringMap} object so that no lookup reaches
 * `Object.prototype` and no key can reach a prototype.
 */
export function strMap(o: Fields, key: string, parent: string): Record<string, string> {
  const v = o[key];
  if (!isFields(v)) return wrongType(parent, key, v, "map of strings");
  const out = newStringMap<string>();
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = v[k];
    if (typeof item !== "string") {
      throw new WireDecodeError(keyPath(keyPath(parent, key), k), `expected string, got ${describe(item)}`);
    }
    out[k] = item;
  }
  return out;
}

/** Required integer in [min, max] (both safe integers), e.g. i32 or u16. */
export function intInRange(
  o: Fields,
  key: string,
  parent: string,
  min: number,
  max: number,
  label: string,
): number {
  const v = o[key];
  if (typeof v === "number" && Number.isInteger(v)) {
    if (v >= min && v <= max) return v;
    throw new WireDecodeError(keyPath(parent, key), `${label} out of range: ${v}`);
  }
  if (typeof v === "bigint") {
    // A 64-bit encoding of a small value (rmp never writes one, other encoders may): judge the value.
    if (v >= BigInt(min) && v <= BigInt(max)) return Number(v);
    throw new WireDecodeError(keyPath(parent, key), `${label} out of range: ${v}`);
  }
  return wrongType(parent, key, v, label);
}

/**
 * u64 value as a JS number: values beyond 2^53 − 1 are refused rather than rounded (these fields are
 * durations and sizes; the type the rest of the host uses is `number`).
 */
export function u64Number(value: unknown, parent: string, key: string | undefined): number {
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) return value;
    if (value < 0) throw new WireDecodeError(fieldPath(parent, key), `u64 out of range: ${value}`);
  } else if (typeof value === "bigint") {
    if (value < 0n || value > U64_MAX)
      throw new WireDecodeError(fieldPath(parent, key), `u64 out of range: ${value}`);
    if (value <= SAFE_MAX) return Number(value);
  } else {
    throw new WireDecodeError(
      fieldPath(parent, key),
      value === undefined ? "missing required field (expected u64)" : `expected u64, got ${describe(value)}`,
    );
  }
  throw new WireDecodeError(
    fieldPath(parent, key),
    `u64 ${value} exceeds 2^53-1 and cannot be represented exactly`,
  );
}

/** Required u64 field as a number (see {@link u64Number}). */
export function u64Field(o: Fields, key: string, parent: string): number {
  return u64Number(o[key], parent, key);
}

/** Required i64: a number when it is a safe integer, a bigint beyond. */
export function i64Field(o: Fields, key: string, parent: string): number | bigint {
  const v = o[key];
  if (typeof v === "number" && Number.isInteger(v)) {
    if (Number.isSafeInteger(v)) return v;
    // An integral float beyond 2^53: exact, but only representable here as a bigint.
    return i64Big(BigInt(v), parent, key);
  }
  if (typeof v === "bigint") return i64Big(v, parent, key);
  return wrongType(parent, key, v, "i64");
}

function i64Big(v: bigint, parent: string, key: string): number | bigint {
  if (v < I64_MIN || v > I64_MAX) throw new WireDecodeError(keyPath(parent, key), `i64 out of range: ${v}`);
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v;
}

/** Decoder of one data variant's payload. */
export type VariantReader = (payload: unknown, path: string) => unknown;

/**
 * Externally tagged enum: a unit variant is its name as a string (also accepted as `{name: nil}`, which
 * `rmp-serde` reads too), a data variant is a one-key map `{name: payload}`.
 * @param units - names of the unit variants.
 * @param data - payload readers of the data variants (a null-prototype table).
 */
export function tagged(
  value: unknown,
  path: string,
  units: ReadonlySet<string>,
  data: Readonly<Record<string, VariantReader>>,
  what: string,
): unknown {
  if (typeof value === "string") {
    if (units.has(value)) return value;
    if (Object.hasOwn(data, value)) throw new WireDecodeError(path, `variant ${value} of ${what} needs data`);
    throw new WireDecodeError(path, `unknown variant ${JSON.stringify(value)} of ${what}`);
  }
  if (!isFields(value))
    throw new WireDecodeError(path, `expected ${what} (string or one-key map), got ${describe(value)}`);
  const keys = Object.keys(value);
  if (keys.length !== 1)
    throw new WireDecodeError(path, `expected ${what} as a one-key map, got ${keys.length} keys`);
  const name = keys[0]!;
  const payload = value[name];
  if (Object.hasOwn(data, name)) {
    const read = data[name]!;
    return { [name]: read(payload, keyPath(path, name)) };
  }
  if (units.has(name)) {
    if (payload === null) return name;
    throw new WireDecodeError(
      keyPath(path, name),
      `unit variant ${name} carries no data, got ${describe(payload)}`,
    );
  }
  throw new WireDecodeError(path, `unknown variant ${JSON.stringify(name)} of ${what}`);
}

/** Payload types of enum data variants: the one table both decoding paths are built from. */
export const PayloadKind = {
  /** `String`. */
  Str: 0,
  /** `u64`, held as a number (≤ 2^53 − 1; see {@link u64Number}). */
  U64: 1,
} as const;
/** One of {@link PayloadKind}. */
export type PayloadKind = (typeof PayloadKind)[keyof typeof PayloadKind];

/** Reference-path payload readers for a table of data variants (a null-prototype table, like `tagged` wants). */
export function variantReaders(
  payloads: Readonly<Record<string, PayloadKind>>,
): Readonly<Record<string, VariantReader>> {
  const readers = Object.create(null) as Record<string, VariantReader>;
  for (const [name, kind] of Object.entries(payloads)) {
    readers[name] = kind === PayloadKind.U64 ? u64Payload : stringPayload;
  }
  return readers;
}

/** Payload reader for `String` data variants. */
export const stringPayload: VariantReader = (payload, path) => {
  if (typeof payload === "string") return payload;
  throw new WireDecodeError(path, `expected string, got ${describe(payload)}`);
};

/** Payload reader for `u64` data variants (as a number; see {@link u64Number}). */
export const u64Payload: VariantReader = (payload, path) => u64Number(payload, path, undefined);
