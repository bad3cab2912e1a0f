// An insertion-ordered string → string map (HTTP headers, process environment). Encoded as a MessagePack
// map in insertion order; AssemblyScript's Map does not promise an order, and the wire bytes must be stable.
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";

/** Ordered string → string map. */
export class StringMap {
  /** Keys in insertion order. */
  readonly keys: string[] = [];
  /** Values, index-aligned with `keys`. */
  readonly values: string[] = [];

  /** Number of entries. */
  get size(): i32 {
    return this.keys.length;
  }

  /** Sets `key` to `value` (replacing an existing entry in place); returns the map for chaining. */
  set(key: string, value: string): StringMap {
    const index = this.keys.indexOf(key);
    if (index >= 0) this.values[index] = value;
    else {
      this.keys.push(key);
      this.values.push(value);
    }
    return this;
  }

  /** True when `key` is present. */
  has(key: string): bool {
    return this.keys.indexOf(key) >= 0;
  }

  /** The value of `key`, or `null`. */
  get(key: string): string | null {
    const index = this.keys.indexOf(key);
    return index >= 0 ? this.values[index] : null;
  }

  /** The value of `key` compared case-insensitively (HTTP header names), or `null`. */
  getIgnoreCase(key: string): string | null {
    const wanted = key.toLowerCase();
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i].toLowerCase() == wanted) return this.values[i];
    }
    return null;
  }

  /** @internal Encodes the map. */
  encode(w: Writer): void {
    w.writeMapHeader(this.keys.length);
    for (let i = 0; i < this.keys.length; i++) {
      w.writeString(this.keys[i]);
      w.writeString(this.values[i]);
    }
  }

  /** @internal Decodes a map; a repeated key keeps the last value (as a Rust `HashMap` does). */
  static decode(r: Reader): StringMap {
    const out = new StringMap();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = r.readString();
      const value = r.readString();
      if (!r.ok) {
        r.within(key.length > 0 ? key : "<key>");
        break;
      }
      out.set(key, value);
    }
    return out;
  }
}

/** @internal Encodes an array of strings. */
export function encodeStrings(w: Writer, values: string[]): void {
  w.writeArrayHeader(values.length);
  for (let i = 0; i < values.length; i++) w.writeString(values[i]);
}

/** @internal Decodes an array of strings. */
export function decodeStrings(r: Reader): string[] {
  const out = new Array<string>();
  const count = r.readArrayHeader();
  for (let i = 0; i < count && r.ok; i++) {
    const value = r.readString();
    if (!r.ok) {
      r.within(i.toString());
      break;
    }
    out.push(value);
  }
  return out;
}
