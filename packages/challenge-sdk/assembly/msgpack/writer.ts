// MessagePack encoder producing the canonical (smallest-form) encoding that Rust `rmp-serde` and the host's
// codec produce, so a guest's bytes are identical to the host's for the same value.

/** Growable MessagePack output buffer. */
export class Writer {
  private buffer: ArrayBuffer;
  private length: i32 = 0;

  constructor(capacity: i32 = 256) {
    this.buffer = new ArrayBuffer(capacity < 16 ? 16 : capacity);
  }

  /** Number of bytes written so far. */
  get byteLength(): i32 {
    return this.length;
  }

  /** The encoded bytes (a view over the writer's buffer; do not keep writing afterwards). */
  finish(): Uint8Array {
    return Uint8Array.wrap(this.buffer, 0, this.length);
  }

  private reserve(extra: i32): usize {
    const needed = this.length + extra;
    let capacity = this.buffer.byteLength;
    if (needed > capacity) {
      while (capacity < needed) capacity <<= 1;
      const next = new ArrayBuffer(capacity);
      memory.copy(changetype<usize>(next), changetype<usize>(this.buffer), <usize>this.length);
      this.buffer = next;
    }
    const at = changetype<usize>(this.buffer) + <usize>this.length;
    this.length = needed;
    return at;
  }

  private byte(value: u8): void {
    store<u8>(this.reserve(1), value);
  }

  private markerU8(marker: u8, value: u8): void {
    const at = this.reserve(2);
    store<u8>(at, marker);
    store<u8>(at, value, 1);
  }

  private markerU16(marker: u8, value: u16): void {
    const at = this.reserve(3);
    store<u8>(at, marker);
    store<u16>(at, bswap<u16>(value), 1);
  }

  private markerU32(marker: u8, value: u32): void {
    const at = this.reserve(5);
    store<u8>(at, marker);
    store<u32>(at, bswap<u32>(value), 1);
  }

  private markerU64(marker: u8, value: u64): void {
    const at = this.reserve(9);
    store<u8>(at, marker);
    store<u64>(at, bswap<u64>(value), 1);
  }

  private raw(ptr: usize, len: i32): void {
    if (len == 0) return;
    memory.copy(this.reserve(len), ptr, <usize>len);
  }

  /** `nil` (an absent `Option`). */
  writeNil(): void {
    this.byte(0xc0);
  }

  /** `true` / `false`. */
  writeBool(value: bool): void {
    this.byte(value ? 0xc3 : 0xc2);
  }

  /** An unsigned integer in its smallest form. */
  writeU64(value: u64): void {
    if (value < 0x80) this.byte(<u8>value);
    else if (value <= 0xff) this.markerU8(0xcc, <u8>value);
    else if (value <= 0xffff) this.markerU16(0xcd, <u16>value);
    else if (value <= 0xffffffff) this.markerU32(0xce, <u32>value);
    else this.markerU64(0xcf, value);
  }

  /** A signed integer in its smallest form (non-negative values use the unsigned forms, as rmp does). */
  writeI64(value: i64): void {
    if (value >= 0) this.writeU64(<u64>value);
    else if (value >= -32) this.byte(<u8>value);
    else if (value >= -128) this.markerU8(0xd0, <u8>value);
    else if (value >= -32768) this.markerU16(0xd1, <u16>value);
    else if (value >= -2147483648) this.markerU32(0xd2, <u32>value);
    else this.markerU64(0xd3, <u64>value);
  }

  /** A UTF-8 string (`fixstr`, `str8`, `str16`, `str32`). */
  writeString(value: string): void {
    const utf8 = String.UTF8.encode(value);
    const len = utf8.byteLength;
    if (len < 32) this.byte(<u8>(0xa0 | len));
    else if (len <= 0xff) this.markerU8(0xd9, <u8>len);
    else if (len <= 0xffff) this.markerU16(0xda, <u16>len);
    else this.markerU32(0xdb, <u32>len);
    this.raw(changetype<usize>(utf8), len);
  }

  /** A byte string (`bin8`, `bin16`, `bin32`). */
  writeBin(value: Uint8Array): void {
    const len = value.byteLength;
    if (len <= 0xff) this.markerU8(0xc4, <u8>len);
    else if (len <= 0xffff) this.markerU16(0xc5, <u16>len);
    else this.markerU32(0xc6, <u32>len);
    this.raw(value.dataStart, len);
  }

  /** Header of an array with `count` elements. */
  writeArrayHeader(count: i32): void {
    if (count < 16) this.byte(<u8>(0x90 | count));
    else if (count <= 0xffff) this.markerU16(0xdc, <u16>count);
    else this.markerU32(0xdd, <u32>count);
  }

  /** Header of a map with `count` key/value pairs. */
  writeMapHeader(count: i32): void {
    if (count < 16) this.byte(<u8>(0x80 | count));
    else if (count <= 0xffff) this.markerU16(0xde, <u16>count);
    else this.markerU32(0xdf, <u32>count);
  }

  /** A string, or `nil` for `null`. */
  writeOptionalString(value: string | null): void {
    if (value === null) this.writeNil();
    else this.writeString(value);
  }

  /** A byte string, or `nil` for `null`. */
  writeOptionalBin(value: Uint8Array | null): void {
    if (value === null) this.writeNil();
    else this.writeBin(value);
  }
}
