// Structural guard run over untrusted bytes BEFORE msgpackr sees them. msgpackr trusts headers: an
// array32 header claiming 2^32 elements makes it allocate and loop, extension bytes make it build records,
// Dates, RegExps or Errors, and 0xc1 yields a sentinel object. This pass walks the token stream once
// (iteratively, O(tokens), no allocation besides two small stacks) and refuses anything msgpackr should not
// be handed, so that everything after it can trust the structure:
// - every declared length fits in the bytes that remain (so no allocation exceeds the input's size);
// - no extension types, no 0xc1, nothing after the top-level value;
// - map keys are strings (the ABI has no other key type) and are valid UTF-8, as are all string values;
// - nesting depth and the number of containers are bounded (the ABI needs depth 4; maps and arrays
//   each cost a JS object, so their count is tied to the input size).
import { isUtf8 } from "node:buffer";
import { WireDecodeError } from "../errors.js";
import { indexPath, keyPath } from "./path.js";

/** Deepest nesting accepted. ABI messages need 4 levels (envelope → struct → map/array/enum → value). */
export const MAX_DEPTH = 32;

/** Containers allowed per input byte beyond a fixed allowance: keeps decoded object count ≤ bytes / 8. */
const CONTAINER_ALLOWANCE = 16;

const KIND_ARRAY = 0;
const KIND_MAP = 1;

/** What the scan learned that changes how the value must be unpacked. */
export interface ScanResult {
  /** A map has a `__proto__` key; it must not be unpacked into a plain object. */
  readonly protoKey: boolean;
}

const NO_PROTO: ScanResult = { protoKey: false };
const WITH_PROTO: ScanResult = { protoKey: true };

// Per-depth state; preallocated once (MAX_DEPTH is small) and reused by every scan. Scans are synchronous
// and never re-entrant, so sharing is safe.
const kinds = new Uint8Array(MAX_DEPTH + 1);
const counts = new Float64Array(MAX_DEPTH + 1); // total slots (maps: 2 × entries)
const remaining = new Float64Array(MAX_DEPTH + 1); // slots not yet read
const keyStarts = new Float64Array(MAX_DEPTH + 1); // offset of the current key (maps), for error paths
const keyEnds = new Float64Array(MAX_DEPTH + 1);

const lossyUtf8 = new TextDecoder("utf-8");

/**
 * Validates the structure of one MessagePack value filling `bytes` exactly.
 * @throws WireDecodeError naming the path of the first problem.
 */
export function scan(bytes: Uint8Array): ScanResult {
  const end = bytes.length;
  let pos = 0;
  let depth = 0;
  let containers = 0;
  const maxContainers = CONTAINER_ALLOWANCE + (end >>> 3);
  let protoKey = false;
  // The current container lives in locals (`left`, `inMap`); the stacks hold the enclosing ones and are
  // written only on push, read only on pop. Depth 0 is a virtual array holding the top-level value.
  let left = 1;
  let inMap = false;
  kinds[0] = KIND_ARRAY;
  counts[0] = 1;

  for (;;) {
    while (left === 0) {
      if (depth === 0) {
        if (pos !== end) fail(bytes, depth, 0, `${end - pos} trailing byte(s) after the message`);
        return protoKey ? WITH_PROTO : NO_PROTO;
      }
      depth--;
      left = remaining[depth]!;
      inMap = kinds[depth] === KIND_MAP;
    }
    left--;
    if (pos >= end) fail(bytes, depth, left, "unexpected end of input");
    const token = bytes[pos++]!;

    // Map slots alternate key, value; with 2n slots the key slots leave an odd count behind.
    if (inMap && (left & 1) === 1) {
      let len: number;
      if ((token & 0xe0) === 0xa0) len = token & 0x1f;
      else if (token === 0xd9) {
        len = readLength(bytes, pos, 1, depth, left);
        pos += 1;
      } else if (token === 0xda) {
        len = readLength(bytes, pos, 2, depth, left);
        pos += 2;
      } else if (token === 0xdb) {
        len = readLength(bytes, pos, 4, depth, left);
        pos += 4;
      } else return fail(bytes, depth, left, "map key must be a string");
      const stop = pos + len;
      if (stop > end) fail(bytes, depth, left, "map key longer than the remaining input");
      if (!utf8(bytes, pos, stop)) fail(bytes, depth, left, "map key is not valid UTF-8");
      keyStarts[depth] = pos;
      keyEnds[depth] = stop;
      if (len === 9 && isProto(bytes, pos)) protoKey = true;
      pos = stop;
      continue;
    }

    if (token < 0x80 || token >= 0xe0) continue; // fixint
    if (token < 0xa0) {
      // fixmap / fixarray
      const isMap = token < 0x90;
      const slots = isMap ? (token & 0x0f) * 2 : token & 0x0f;
      if (slots > end - pos)
        fail(bytes, depth, left, `${isMap ? "map" : "array"} longer than the remaining input`);
      if (++containers > maxContainers)
        fail(bytes, depth, left, "too many maps/arrays for the size of the input");
      if (depth === MAX_DEPTH) fail(bytes, depth, left, `nesting deeper than ${MAX_DEPTH}`);
      remaining[depth] = left;
      depth++;
      kinds[depth] = isMap ? KIND_MAP : KIND_ARRAY;
      counts[depth] = slots;
      left = slots;
      inMap = isMap;
      continue;
    }
    if (token < 0xc0) {
      // fixstr
      const stop = pos + (token & 0x1f);
      if (stop > end) fail(bytes, depth, left, "string longer than the remaining input");
      if (!utf8(bytes, pos, stop)) fail(bytes, depth, left, "string is not valid UTF-8");
      pos = stop;
      continue;
    }
    switch (token) {
      case 0xc0: // nil
      case 0xc2: // false
      case 0xc3: // true
        continue;
      case 0xc1:
        return fail(bytes, depth, left, "reserved byte 0xc1");
      case 0xc4:
      case 0xc5:
      case 0xc6: {
        const size = token === 0xc4 ? 1 : token === 0xc5 ? 2 : 4;
        const len = readLength(bytes, pos, size, depth, left);
        pos += size;
        if (len > end - pos) fail(bytes, depth, left, "bin longer than the remaining input");
        pos += len;
        continue;
      }
      case 0xc7:
      case 0xc8:
      case 0xc9:
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        return fail(bytes, depth, left, "MessagePack extension types are not part of the ABI");
      case 0xca: // float32
      case 0xce: // uint32
      case 0xd2: // int32
        pos = skip(bytes, pos, 4, depth, left);
        continue;
      case 0xcb: // float64
      case 0xcf: // uint64
      case 0xd3: // int64
        pos = skip(bytes, pos, 8, depth, left);
        continue;
      case 0xcc:
      case 0xd0:
        pos = skip(bytes, pos, 1, depth, left);
        continue;
      case 0xcd:
      case 0xd1:
        pos = skip(bytes, pos, 2, depth, left);
        continue;
      case 0xd9:
      case 0xda:
      case 0xdb: {
        const size = token === 0xd9 ? 1 : token === 0xda ? 2 : 4;
        const len = readLength(bytes, pos, size, depth, left);
        pos += size;
        if (len > end - pos) fail(bytes, depth, left, "string longer than the remaining input");
        if (!utf8(bytes, pos, pos + len)) fail(bytes, depth, left, "string is not valid UTF-8");
        pos += len;
        continue;
      }
      default: {
        // 0xdc array16, 0xdd array32, 0xde map16, 0xdf map32 (every other byte value was handled above)
        const isMap = token >= 0xde;
        const size = token === 0xdc || token === 0xde ? 2 : 4;
        const len = readLength(bytes, pos, size, depth, left);
        pos += size;
        // Every slot takes at least one byte, so a count beyond the remaining bytes is a lie. Checking it
        // here is what keeps msgpackr from pre-sizing a huge array.
        const slots = isMap ? len * 2 : len;
        if (slots > end - pos)
          fail(bytes, depth, left, `${isMap ? "map" : "array"} longer than the remaining input`);
        if (++containers > maxContainers)
          fail(bytes, depth, left, "too many maps/arrays for the size of the input");
        if (depth === MAX_DEPTH) fail(bytes, depth, left, `nesting deeper than ${MAX_DEPTH}`);
        remaining[depth] = left;
        depth++;
        kinds[depth] = isMap ? KIND_MAP : KIND_ARRAY;
        counts[depth] = slots;
        left = slots;
        inMap = isMap;
      }
    }
  }
}

function readLength(bytes: Uint8Array, pos: number, size: number, depth: number, left: number): number {
  if (pos + size > bytes.length) fail(bytes, depth, left, "unexpected end of input");
  if (size === 1) return bytes[pos]!;
  if (size === 2) return (bytes[pos]! << 8) | bytes[pos + 1]!;
  return ((bytes[pos]! << 24) >>> 0) + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!);
}

function skip(bytes: Uint8Array, pos: number, size: number, depth: number, left: number): number {
  if (pos + size > bytes.length) fail(bytes, depth, left, "unexpected end of input");
  return pos + size;
}

/** UTF-8 validity; short ASCII strings (the common case) are checked without leaving JS. */
function utf8(bytes: Uint8Array, start: number, stop: number): boolean {
  if (stop - start <= 64) {
    // OR of all bytes: one operation per byte and no early exit, which is what makes it cheap.
    let acc = 0;
    for (let i = start; i < stop; i++) acc |= bytes[i]!;
    if (acc < 0x80) return true;
  }
  return isUtf8(bytes.subarray(start, stop));
}

// "__proto__"
function isProto(bytes: Uint8Array, pos: number): boolean {
  return (
    bytes[pos] === 0x5f &&
    bytes[pos + 1] === 0x5f &&
    bytes[pos + 2] === 0x70 &&
    bytes[pos + 3] === 0x72 &&
    bytes[pos + 4] === 0x6f &&
    bytes[pos + 5] === 0x74 &&
    bytes[pos + 6] === 0x6f &&
    bytes[pos + 7] === 0x5f &&
    bytes[pos + 8] === 0x5f
  );
}

/** Builds the path of the slot being read at `depth` (`left` slots after it), then throws. */
function fail(bytes: Uint8Array, depth: number, left: number, detail: string): never {
  remaining[depth] = left;
  let path = "";
  for (let d = 1; d <= depth; d++) {
    const slotsLeft = remaining[d]!;
    if (kinds[d] === KIND_ARRAY) {
      path = indexPath(path, counts[d]! - slotsLeft - 1);
    } else if ((slotsLeft & 1) === 0) {
      // A value slot: name it by its key. (On a key slot the error is about the map itself.)
      path = keyPath(path, lossyUtf8.decode(bytes.subarray(keyStarts[d]!, keyEnds[d]!)));
    }
  }
  throw new WireDecodeError(path, detail);
}
