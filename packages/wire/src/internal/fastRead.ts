// Token readers of the fast decoding path (see fastDecode.ts). They read the canonical encodings an
// rmp-serde or msgpackr writer produces and return BAIL for anything else — malformed, truncated, or
// merely unusual (64-bit integers, floats, non-ASCII strings that fail validation). BAIL never means
// "invalid": it means "let the reference path decide", which then accepts or names the problem.
//
// The cursor is module state (like msgpackr's): decoding is synchronous and never re-entrant, and plain
// variables keep the hot loops free of property loads. Every read is bounds-checked against `end`.
import { NO_MEMBERS } from "./read.js";

/** Returned by every reader that cannot take the input; the caller unwinds and defers to the reference path. */
export const BAIL: unique symbol = Symbol("bail");
/** What a reader returns. */
export type Read<T> = T | typeof BAIL;

let src: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
let copyBins = false;

/** Points the cursor at `bytes` (a plain `Uint8Array` over an `ArrayBuffer`). */
export function begin(bytes: Uint8Array, copy: boolean): void {
  src = bytes;
  pos = 0;
  end = bytes.length;
  copyBins = copy;
}

/** True when the whole input was consumed. Also drops the reference to it so the input can be collected. */
export function finish(): boolean {
  const done = pos === end;
  src = EMPTY;
  return done;
}

const EMPTY = new Uint8Array(0);

/** True when the next value is a map (fixmap or map16, the headers {@link mapHeader} reads). */
export function atMap(): boolean {
  if (pos >= end) return false;
  const t = src[pos]!;
  return (t & 0xf0) === 0x80 || t === 0xde;
}

/** Header of a map: its entry count, or -1. Counts that the remaining bytes cannot hold are refused. */
export function mapHeader(): number {
  if (pos >= end) return -1;
  const t = src[pos]!;
  let n: number;
  if ((t & 0xf0) === 0x80) {
    n = t & 0x0f;
    pos += 1;
  } else if (t === 0xde && pos + 3 <= end) {
    n = (src[pos + 1]! << 8) | src[pos + 2]!;
    pos += 3;
  } else return -1; // map32 never occurs in a canonical ABI message this path reads
  // Every entry takes at least two bytes.
  return n * 2 <= end - pos ? n : -1;
}

/** Header of an array: its length, or -1 (same rules as {@link mapHeader}). */
export function arrayHeader(): number {
  if (pos >= end) return -1;
  const t = src[pos]!;
  let n: number;
  if ((t & 0xf0) === 0x90) {
    n = t & 0x0f;
    pos += 1;
  } else if (t === 0xdc && pos + 3 <= end) {
    n = (src[pos + 1]! << 8) | src[pos + 2]!;
    pos += 3;
  } else return -1;
  return n <= end - pos ? n : -1;
}

/** Length of a string at the cursor (its header consumed), or -1 when the next value is not a string. */
function strHeader(): number {
  if (pos >= end) return -1;
  const t = src[pos]!;
  let n: number;
  if ((t & 0xe0) === 0xa0) {
    n = t & 0x1f;
    pos += 1;
  } else if (t === 0xd9 && pos + 2 <= end) {
    n = src[pos + 1]!;
    pos += 2;
  } else if (t === 0xda && pos + 3 <= end) {
    n = (src[pos + 1]! << 8) | src[pos + 2]!;
    pos += 3;
  } else if (t === 0xdb && pos + 5 <= end) {
    n = ((src[pos + 1]! << 24) >>> 0) + ((src[pos + 2]! << 16) | (src[pos + 3]! << 8) | src[pos + 4]!);
    pos += 5;
  } else return -1;
  return n <= end - pos ? n : -1;
}

/**
 * Index of the field whose UTF-8 name is the next map key, or -1 (not a string, or not one of `names`).
 * Keys are compared as bytes: no string is built for them.
 */
export function fieldKey(names: readonly Uint8Array[]): number {
  const n = strHeader();
  if (n < 0) return -1;
  for (let f = 0; f < names.length; f++) {
    const name = names[f]!;
    if (name.length !== n) continue;
    let i = 0;
    while (i < n && name[i] === src[pos + i]) i++;
    if (i === n) {
      pos += n;
      return f;
    }
  }
  return -1;
}

const fromCharCode = String.fromCharCode;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A string value. ASCII is decoded in JS; anything else by a fatal UTF-8 decoder (invalid → BAIL). */
export function str(): Read<string> {
  const n = strHeader();
  if (n < 0) return BAIL;
  const b = src; // a local: module variables are reloaded on every access
  const start = pos;
  const stop = start + n;
  pos = stop;
  if (n <= CACHED_MAX) {
    if (n === 0) return "";
    // The slot is picked from the length and three bytes, so a hit costs one comparison pass (and a
    // string equal to a cached one is ASCII like it).
    const slot =
      (Math.imul(n, 0x9e3779b1) ^
        Math.imul(b[start]!, 31) ^
        Math.imul(b[stop - 1]!, 131) ^
        b[start + (n >>> 1)]!) &
      (CACHE_SLOTS - 1);
    const base = slot * CACHED_MAX;
    if (cacheLengths[slot] === n) {
      let i = 0;
      while (i < n && cacheBytes[base + i] === b[start + i]) i++;
      if (i === n) return cacheStrings[slot]!;
    }
    let acc = 0;
    for (let i = start; i < stop; i++) acc |= b[i]!;
    if (acc < 0x80) {
      const text = ascii(b, start, n);
      for (let i = 0; i < n; i++) cacheBytes[base + i] = b[start + i]!;
      cacheLengths[slot] = n;
      cacheStrings[slot] = text;
      return text;
    }
  } else if (n <= 64) {
    let acc = 0;
    for (let i = start; i < stop; i++) acc |= b[i]!;
    if (acc < 0x80) return ascii(b, start, n);
  }
  try {
    return utf8.decode(b.subarray(start, stop));
  } catch {
    return BAIL;
  }
}

// Short ASCII strings recur in every message a guest sends (commands, flags, header and env names), so
// they are interned in a small direct-mapped cache, compared byte for byte: a hit builds no string.
// Bounded: CACHE_SLOTS strings of at most CACHED_MAX characters. A guest choosing colliding strings only
// makes every lookup a miss, which costs one extra comparison.
const CACHED_MAX = 32;
const CACHE_SLOTS = 1024;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHED_MAX);
const cacheLengths = new Int32Array(CACHE_SLOTS).fill(-1);
const cacheStrings: string[] = new Array<string>(CACHE_SLOTS).fill("");

/** ASCII bytes → string. Explicit arities for the short strings that dominate ABI messages. */
function ascii(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return fromCharCode(b[s]!);
    case 2:
      return fromCharCode(b[s]!, b[s + 1]!);
    case 3:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default: {
      const codes = new Array<number>(n);
      for (let i = 0; i < n; i++) codes[i] = b[s + i]!;
      return fromCharCode.apply(null, codes);
    }
  }
}

/** True (and consumed) when the next value is nil. */
export function nil(): boolean {
  if (pos < end && src[pos] === 0xc0) {
    pos++;
    return true;
  }
  return false;
}

/** A boolean value. */
export function bool(): Read<boolean> {
  if (pos >= end) return BAIL;
  const t = src[pos]!;
  if (t === 0xc2 || t === 0xc3) {
    pos++;
    return t === 0xc3;
  }
  return BAIL;
}

/** A `bin` value: a view into the input, or a copy when the caller asked for copies. */
export function bin(): Read<Uint8Array> {
  if (pos >= end) return BAIL;
  const t = src[pos]!;
  let n: number;
  if (t === 0xc4 && pos + 2 <= end) {
    n = src[pos + 1]!;
    pos += 2;
  } else if (t === 0xc5 && pos + 3 <= end) {
    n = (src[pos + 1]! << 8) | src[pos + 2]!;
    pos += 3;
  } else if (t === 0xc6 && pos + 5 <= end) {
    n = ((src[pos + 1]! << 24) >>> 0) + ((src[pos + 2]! << 16) | (src[pos + 3]! << 8) | src[pos + 4]!);
    pos += 5;
  } else return BAIL;
  if (n > end - pos) return BAIL;
  const start = pos;
  pos += n;
  return copyBins ? src.slice(start, pos) : src.subarray(start, pos);
}

/**
 * An integer written in at most 32 bits (fixint, u8–u32, i8–i32), as a number. 64-bit encodings and
 * floats are BAIL: the reference path judges them.
 */
export function int(): Read<number> {
  if (pos >= end) return BAIL;
  const t = src[pos]!;
  if (t < 0x80) {
    pos++;
    return t;
  }
  if (t >= 0xe0) {
    pos++;
    return t - 0x100;
  }
  const b = src;
  const p = pos + 1;
  switch (t) {
    case 0xcc:
      if (p + 1 > end) return BAIL;
      pos = p + 1;
      return b[p]!;
    case 0xcd:
      if (p + 2 > end) return BAIL;
      pos = p + 2;
      return (b[p]! << 8) | b[p + 1]!;
    case 0xce:
      if (p + 4 > end) return BAIL;
      pos = p + 4;
      return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    case 0xd0:
      if (p + 1 > end) return BAIL;
      pos = p + 1;
      return (b[p]! << 24) >> 24;
    case 0xd1:
      if (p + 2 > end) return BAIL;
      pos = p + 2;
      return (((b[p]! << 8) | b[p + 1]!) << 16) >> 16;
    case 0xd2:
      if (p + 4 > end) return BAIL;
      pos = p + 4;
      return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    default:
      return BAIL;
  }
}

/** `Vec<String>`. */
export function strArray(): Read<string[]> {
  const n = arrayHeader();
  if (n < 0) return BAIL;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const s = str();
    if (s === BAIL) return BAIL;
    out[i] = s;
  }
  return out;
}

/**
 * `HashMap<String, String>` as an object without inherited members (like the reference path's). A
 * repeated key keeps its last value, as in msgpackr and serde's `HashMap`. A `__proto__` key is BAIL: the
 * reference path keeps it as data through a slower route.
 */
export function strMap(): Read<Record<string, string>> {
  const n = mapHeader();
  if (n < 0) return BAIL;
  const out = Object.create(NO_MEMBERS) as Record<string, string>;
  for (let i = 0; i < n; i++) {
    const k = str();
    if (k === BAIL || k === "__proto__") return BAIL;
    const v = str();
    if (v === BAIL) return BAIL;
    out[k] = v;
  }
  return out;
}
