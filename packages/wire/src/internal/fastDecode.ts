// The fast decoding path. Every `decodeX` first tries to read the message in one pass straight from the
// bytes with a per-message schema; if anything is unusual it gives up (returns undefined) and the
// reference path — structural scan, msgpackr, field readers — decodes the message or names the problem.
//
// Why two paths: the reference path is the specification (msgpackr decodes, the scan guards it, the
// readers produce the typed value and the error paths), but for the small messages a guest sends on every
// host call it spends most of its time on generality (a DataView per input, strings extracted through a
// native call, a throwaway untyped tree). The fast path reads only canonical layouts — what rmp-serde and
// our own encoders write — and must never accept what the reference path refuses nor produce a different
// value; a differential property test (fastDecode.test.ts) holds it to that. It needs no depth or
// container bounds: a schema fixes the shape, and every length is checked against the remaining bytes
// before anything is allocated.
import * as r from "./fastRead.js";
import { BAIL, type Read } from "./fastRead.js";
import { PayloadKind } from "./read.js";
import type { DecodeOptions, readableSource } from "./unpack.js";

/** Reads one value at the cursor. */
export type FastReader<T> = () => Read<T>;

/**
 * Kinds of struct fields. Each maps to one reader; optional kinds accept nil and absence (→ undefined),
 * as the reference readers do.
 */
export const Kind = {
  Str: 0,
  OptStr: 1,
  Bytes: 2,
  OptBytes: 3,
  Bool: 4,
  StrArray: 5,
  StrMap: 6,
  /** An integer within the field's `[min, max]` (safe-integer bounds), e.g. i32, u16, u64, i64. */
  Int: 7,
  /** A string naming one of the field's `units`. */
  Unit: 8,
} as const;
/** One of {@link Kind}. */
export type Kind = (typeof Kind)[keyof typeof Kind];

/** One field of a struct schema. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly min?: number;
  readonly max?: number;
  readonly units?: ReadonlySet<string>;
}

const encoder = new TextEncoder();

/**
 * Reader of a struct: a map whose keys are exactly known fields, each at most once. `build` turns the
 * field values (in `fields` order) into the typed object, so each message keeps its own object shape.
 * Unknown keys, repeated keys and missing required fields are left to the reference path.
 */
export function fastStruct<T>(fields: readonly FieldSpec[], build: (v: unknown[]) => T): FastReader<T> {
  if (fields.length > 30) throw new Error("fastStruct: at most 30 fields");
  const names = fields.map((f) => encoder.encode(f.name));
  const kinds = fields.map((f) => f.kind);
  const mins = fields.map((f) => f.min ?? 0);
  const maxs = fields.map((f) => f.max ?? 0);
  const units = fields.map((f) => f.units ?? null);
  let required = 0;
  fields.forEach((f, i) => {
    if (f.kind !== Kind.OptStr && f.kind !== Kind.OptBytes) required |= 1 << i;
  });
  const values = new Array<unknown>(fields.length);
  return () => {
    const n = r.mapHeader();
    if (n < 0) return BAIL;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      const f = r.fieldKey(names);
      if (f < 0 || (seen & (1 << f)) !== 0) return BAIL;
      seen |= 1 << f;
      let v: unknown;
      switch (kinds[f]) {
        case Kind.Str:
          v = r.str();
          break;
        case Kind.OptStr:
          v = r.nil() ? undefined : r.str();
          break;
        case Kind.Bytes:
          v = r.bin();
          break;
        case Kind.OptBytes:
          v = r.nil() ? undefined : r.bin();
          break;
        case Kind.Bool:
          v = r.bool();
          break;
        case Kind.StrArray:
          v = r.strArray();
          break;
        case Kind.StrMap:
          v = r.strMap();
          break;
        case Kind.Int: {
          const x = r.int();
          v = x !== BAIL && x >= mins[f]! && x <= maxs[f]! ? x : BAIL;
          break;
        }
        default: {
          const s = r.str();
          v = s !== BAIL && units[f]!.has(s) ? s : BAIL;
        }
      }
      if (v === BAIL) return BAIL;
      values[f] = v;
    }
    if ((seen & required) !== required) return BAIL;
    for (let f = 0; f < values.length; f++) if ((seen & (1 << f)) === 0) values[f] = undefined;
    return build(values);
  };
}

/**
 * Reader of an externally tagged enum (SandboxError, NetworkError): a unit variant's name, or a one-key
 * map `{name: payload}`. The rarer spellings (`{unit: nil}`) are left to the reference path.
 */
export function fastTagged<T>(
  units: ReadonlySet<string>,
  data: Readonly<Record<string, PayloadKind>>,
): FastReader<T> {
  return () => {
    if (!r.atMap()) {
      const unit = r.str();
      return unit !== BAIL && units.has(unit) ? (unit as T) : BAIL;
    }
    if (r.mapHeader() !== 1) return BAIL;
    const name = r.str();
    if (name === BAIL || !Object.hasOwn(data, name)) return BAIL;
    const payload = data[name] === PayloadKind.Str ? r.str() : r.int();
    if (payload === BAIL || (typeof payload === "number" && payload < 0)) return BAIL;
    return { [name]: payload } as T;
  };
}

const OK = encoder.encode("Ok");
const ERR = encoder.encode("Err");
const ENVELOPE_KEYS = [OK, ERR];

/** Reader of a result envelope `{"Ok": v}` / `{"Err": e}`. */
export function fastEnvelope<T, E>(
  ok: FastReader<T>,
  err: FastReader<E>,
): FastReader<{ Ok: T } | { Err: E }> {
  return () => {
    if (r.mapHeader() !== 1) return BAIL;
    const f = r.fieldKey(ENVELOPE_KEYS);
    if (f === 0) {
      const v = ok();
      return v === BAIL ? BAIL : { Ok: v };
    }
    if (f === 1) {
      const e = err();
      return e === BAIL ? BAIL : { Err: e };
    }
    return BAIL;
  };
}

/**
 * Runs `read` over `source` (a {@link readableSource}) as one whole message. Returns the value, or
 * undefined when the fast path cannot take the input (the caller then runs the reference path, which also
 * produces every error).
 */
export function fastDecode<T>(
  source: Uint8Array,
  options: DecodeOptions | undefined,
  read: FastReader<T>,
): T | undefined {
  r.begin(source, options?.copyBytes === true);
  let value: T | typeof BAIL;
  try {
    value = read();
  } catch {
    // Nothing in the readers throws by design; should anything (memory exhaustion), the reference path
    // decides, so the caller still sees a value or a WireDecodeError.
    value = BAIL;
  }
  return r.finish() && value !== BAIL ? value : undefined;
}
