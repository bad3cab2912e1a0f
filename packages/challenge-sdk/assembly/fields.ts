// Shared helpers for decoding ABI structs (MessagePack maps with snake_case keys).
import { Reader } from "./msgpack/reader";

/**
 * @internal Tracks which fields of a struct were seen: rejects a repeated key (as serde does) and reports
 * the first missing required field.
 */
export class FieldSet {
  private seen: u32 = 0;

  /** Marks field `bit` as seen; fails on a duplicate. Returns false when the reader has failed. */
  mark(r: Reader, bit: i32, name: string): bool {
    const mask: u32 = 1 << bit;
    if ((this.seen & mask) != 0) {
      r.fail("duplicate field `" + name + "`");
      return false;
    }
    this.seen |= mask;
    return r.ok;
  }

  /** Fails when required field `bit` (`name`) was never seen. */
  require(r: Reader, bit: i32, name: string): void {
    if (r.ok && (this.seen & (<u32>1 << bit)) == 0) r.fail("missing field `" + name + "`");
  }
}

/** @internal Reads a map key; records `<key>` in the error path when it is not a string. */
export function readKey(r: Reader): string {
  const key = r.readString();
  if (!r.ok) r.within("<key>");
  return key;
}

/**
 * @internal Reads an externally tagged enum's tag: a unit variant is a string, a data variant a one-key
 * map whose value follows (read it next). Returns the variant name (`""` after an error); sets
 * `hasData` accordingly.
 */
export class EnumTag {
  name: string = "";
  hasData: bool = false;

  static read(r: Reader): EnumTag {
    const tag = new EnumTag();
    const marker = r.peek();
    if (marker < 0) {
      r.fail("unexpected end of input");
      return tag;
    }
    const isStr = (marker & 0xe0) == 0xa0 || marker == 0xd9 || marker == 0xda || marker == 0xdb;
    if (isStr) {
      tag.name = r.readString();
      return tag;
    }
    const count = r.readMapHeader();
    if (!r.ok) return tag;
    if (count != 1) {
      r.fail("expected an enum: a string or a map with exactly one key");
      return tag;
    }
    tag.name = r.readString();
    tag.hasData = true;
    return tag;
  }
}
