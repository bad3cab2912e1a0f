import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";

/**
 * Bounds-checked cursor over module bytes. Every read past `end` or every over-long LEB128 throws a
 * {@link FuelMeteringError} instead of reading garbage: the bytes come from a hostile guest.
 */
export class ByteReader {
  pos: number;

  /**
   * @param bytes - the whole module.
   * @param start - first byte this reader may read.
   * @param end - one past the last byte this reader may read.
   */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end: number = bytes.length,
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw malformed("unexpected end of data", this.pos);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 of at most 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw malformed("u32 out of range", this.pos);
        return result;
      }
      shift += 7;
    }
    throw malformed("u32 LEB128 too long", this.pos);
  }

  /** Signed LEB128 of at most 33 bits (block types, heap types). */
  s33(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        return (b & 0x40) !== 0 ? result - 2 ** shift : result;
      }
    }
    throw malformed("s33 LEB128 too long", this.pos);
  }

  /** Skips one LEB128 number of at most `maxBytes` bytes (5 for 32-bit, 10 for 64-bit values). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) {
      if ((this.byte() & 0x80) === 0) return;
    }
    throw malformed("LEB128 too long", this.pos);
  }

  skip(count: number): void {
    if (count < 0 || this.pos + count > this.end) throw malformed("unexpected end of data", this.pos);
    this.pos += count;
  }
}

/**
 * Growable output buffer with the LEB128 encoders the transform needs.
 */
export class ByteWriter {
  private buffer: Uint8Array<ArrayBuffer>;
  length = 0;

  /** @param capacity - initial capacity in bytes (grows by doubling). */
  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** Unsigned LEB128 of a value in [0, 2^32). */
  u32(value: number): void {
    let v = value;
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
  }

  /** Signed LEB128 of an integer in the safe range (used for `i64.const` immediates). */
  s64(value: number): void {
    if (value >= -0x40000000 && value < 0x40000000) {
      // Fast path: small values with 32-bit integer arithmetic (sign-propagating shift).
      let v = value | 0;
      for (;;) {
        const b = v & 0x7f;
        v >>= 7;
        const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
        this.byte(done ? b : b | 0x80);
        if (done) return;
      }
    }
    let v = BigInt(value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }

  /** The bytes written so far, without copying (valid until the next write or reset). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Forgets what was written, keeping the capacity. */
  reset(): void {
    this.length = 0;
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

function malformed(what: string, offset: number): FuelMeteringError {
  return new FuelMeteringError(
    FuelMeteringErrorCode.InvalidModule,
    `malformed module at byte ${offset}: ${what}`,
  );
}
