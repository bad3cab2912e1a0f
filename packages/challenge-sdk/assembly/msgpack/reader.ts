// MessagePack decoder for hostile input. AssemblyScript has no exceptions a guest could recover from, so
// the reader never traps: the first problem is recorded (`error`, with the field path) and every later
// read returns a neutral value. Callers check `ok` once per struct field.
import { isValidUtf8 } from "./utf8";

/** Decodes MessagePack values from a byte array, recording the first error instead of trapping. */
export class Reader {
  private position: i32 = 0;
  private problem: string | null = null;
  private path: string = "";

  constructor(private readonly data: Uint8Array) {}

  /** True while no error has been recorded. */
  get ok(): bool {
    return this.problem === null;
  }

  /** The first error, with the field path where it happened (`""` when none). */
  get error(): string {
    const problem = this.problem;
    if (problem === null) return "";
    return this.path.length > 0 ? "at `" + this.path + "`: " + problem : problem;
  }

  /** Bytes not consumed yet. */
  get remaining(): i32 {
    return this.data.byteLength - this.position;
  }

  /** Records `message` as the error unless one is recorded already. */
  fail(message: string): void {
    if (this.problem === null) this.problem = message;
  }

  /**
   * Prefixes the error path with `segment` when the value just read failed (called by struct decoders as
   * the error unwinds, so the path reads outermost first).
   */
  within(segment: string): void {
    if (this.problem === null) return;
    this.path = this.path.length > 0 ? segment + "." + this.path : segment;
  }

  /** Fails when bytes are left over after a complete message. */
  expectEnd(): void {
    if (this.ok && this.position != this.data.byteLength) this.fail("trailing bytes after the message");
  }

  private take(count: i32): usize {
    if (this.problem !== null) return 0;
    if (count < 0 || count > this.remaining) {
      this.fail("unexpected end of input");
      return 0;
    }
    const at = this.data.dataStart + <usize>this.position;
    this.position += count;
    return at;
  }

  private u8(): u32 {
    const at = this.take(1);
    return at == 0 ? 0 : <u32>load<u8>(at);
  }

  private u16(): u32 {
    const at = this.take(2);
    return at == 0 ? 0 : <u32>bswap<u16>(load<u16>(at));
  }

  private u32(): u32 {
    const at = this.take(4);
    return at == 0 ? 0 : bswap<u32>(load<u32>(at));
  }

  private u64(): u64 {
    const at = this.take(8);
    return at == 0 ? 0 : bswap<u64>(load<u64>(at));
  }

  /** The next marker byte without consuming it, or -1 at the end / after an error. */
  peek(): i32 {
    if (this.problem !== null || this.position >= this.data.byteLength) return -1;
    return <i32>this.data[this.position];
  }

  /** True (and consumes it) when the next value is `nil`. */
  readNil(): bool {
    if (this.peek() != 0xc0) return false;
    this.position += 1;
    return true;
  }

  /** A boolean. */
  readBool(): bool {
    const marker = this.u8();
    if (marker == 0xc3) return true;
    if (marker != 0xc2) this.fail("expected bool");
    return false;
  }

  /**
   * Any integer form, as a signed 64-bit value. `fail`s on a uint64 above `i64.MAX_VALUE`. Integral
   * floats are accepted too: the host's msgpackr writes JS numbers beyond 32 bits as float64.
   */
  readI64(): i64 {
    const marker = this.u8();
    if (this.problem !== null) return 0;
    if (marker < 0x80) return <i64>marker;
    if (marker >= 0xe0) return <i64>(<i8>(<u8>marker));
    switch (marker) {
      case 0xcc:
        return <i64>this.u8();
      case 0xcd:
        return <i64>this.u16();
      case 0xce:
        return <i64>this.u32();
      case 0xcf: {
        const value = this.u64();
        if (value > <u64>i64.MAX_VALUE) {
          this.fail("integer out of range");
          return 0;
        }
        return <i64>value;
      }
      case 0xd0:
        return <i64>(<i8>(<u8>this.u8()));
      case 0xd1:
        return <i64>(<i16>(<u16>this.u16()));
      case 0xd2:
        return <i64>(<i32>this.u32());
      case 0xd3:
        return <i64>this.u64();
      case 0xca:
        return this.integral(<f64>reinterpret<f32>(this.u32()));
      case 0xcb:
        return this.integral(reinterpret<f64>(this.u64()));
    }
    this.fail("expected integer");
    return 0;
  }

  private integral(value: f64): i64 {
    if (this.problem !== null) return 0;
    // 2^63 is exactly representable; anything at or beyond it (or NaN, or a fraction) is not an i64.
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0) || Math.floor(value) != value) {
      this.fail("expected integer");
      return 0;
    }
    return <i64>value;
  }

  /** An integer that must lie in `[min, max]`. */
  readRange(min: i64, max: i64): i64 {
    const value = this.readI64();
    if (this.problem !== null) return 0;
    if (value < min || value > max) {
      this.fail("integer out of range");
      return 0;
    }
    return value;
  }

  /** A `u64` value (any non-negative integer form, including uint64 above `i64.MAX_VALUE`). */
  readU64(): u64 {
    if (this.peek() == 0xcf) {
      this.position += 1;
      return this.u64();
    }
    const value = this.readI64();
    if (this.problem !== null) return 0;
    if (value < 0) {
      this.fail("integer out of range");
      return 0;
    }
    return <u64>value;
  }

  private strLength(): i32 {
    const marker = this.u8();
    if (this.problem !== null) return -1;
    if ((marker & 0xe0) == 0xa0) return <i32>(marker & 0x1f);
    if (marker == 0xd9) return <i32>this.u8();
    if (marker == 0xda) return <i32>this.u16();
    if (marker == 0xdb) return this.length32();
    this.fail("expected string");
    return -1;
  }

  private length32(): i32 {
    const value = this.u32();
    // Every length must fit in the remaining input; this also rejects lengths beyond i32.
    if (value > <u32>this.remaining) {
      this.fail("unexpected end of input");
      return -1;
    }
    return <i32>value;
  }

  /** A UTF-8 string. Invalid UTF-8 is an error. */
  readString(): string {
    const len = this.strLength();
    if (len < 0) return "";
    const at = this.take(len);
    if (this.problem !== null) return "";
    if (!isValidUtf8(at, len)) {
      this.fail("invalid UTF-8 in string");
      return "";
    }
    return String.UTF8.decodeUnsafe(at, <usize>len);
  }

  /** A string, or `null` for `nil`. */
  readOptionalString(): string | null {
    if (this.readNil()) return null;
    return this.readString();
  }

  /** A byte string (copied out of the input). */
  readBin(): Uint8Array {
    const marker = this.u8();
    let len: i32 = -1;
    if (marker == 0xc4) len = <i32>this.u8();
    else if (marker == 0xc5) len = <i32>this.u16();
    else if (marker == 0xc6) len = this.length32();
    else this.fail("expected bin");
    if (this.problem !== null) return new Uint8Array(0);
    const at = this.take(len);
    if (this.problem !== null) return new Uint8Array(0);
    const out = new Uint8Array(len);
    memory.copy(out.dataStart, at, <usize>len);
    return out;
  }

  /** A byte string, or `null` for `nil`. */
  readOptionalBin(): Uint8Array | null {
    if (this.readNil()) return null;
    return this.readBin();
  }

  /** A map header: the number of pairs, or -1 after an error. */
  readMapHeader(): i32 {
    const marker = this.u8();
    let count: i64 = -1;
    if ((marker & 0xf0) == 0x80) count = <i64>(marker & 0x0f);
    else if (marker == 0xde) count = <i64>this.u16();
    else if (marker == 0xdf) count = <i64>this.u32();
    else this.fail("expected map");
    if (this.problem !== null) return -1;
    // Each pair takes at least two bytes: a count the input cannot hold is malformed.
    if (count * 2 > <i64>this.remaining) {
      this.fail("unexpected end of input");
      return -1;
    }
    return <i32>count;
  }

  /** An array header: the number of elements, or -1 after an error. */
  readArrayHeader(): i32 {
    const marker = this.u8();
    let count: i64 = -1;
    if ((marker & 0xf0) == 0x90) count = <i64>(marker & 0x0f);
    else if (marker == 0xdc) count = <i64>this.u16();
    else if (marker == 0xdd) count = <i64>this.u32();
    else this.fail("expected array");
    if (this.problem !== null) return -1;
    if (count > <i64>this.remaining) {
      this.fail("unexpected end of input");
      return -1;
    }
    return <i32>count;
  }

  /**
   * Skips one complete value of any type (unknown map keys are ignored for forward compatibility).
   * Iterative, so deeply nested hostile input cannot exhaust the stack.
   */
  skip(): void {
    let pending: i64 = 1;
    while (pending > 0 && this.problem === null) {
      pending--;
      const marker = this.u8();
      if (this.problem !== null) return;
      if (marker < 0x80 || marker >= 0xe0 || marker == 0xc0 || marker == 0xc2 || marker == 0xc3) continue;
      if ((marker & 0xf0) == 0x80) {
        pending += <i64>(marker & 0x0f) * 2;
      } else if ((marker & 0xf0) == 0x90) {
        pending += <i64>(marker & 0x0f);
      } else if ((marker & 0xe0) == 0xa0) {
        this.take(<i32>(marker & 0x1f));
      } else {
        switch (marker) {
          case 0xc4:
          case 0xd9:
          case 0xcc:
          case 0xd0:
            this.take(marker == 0xcc || marker == 0xd0 ? 1 : <i32>this.u8());
            break;
          case 0xc5:
          case 0xda:
            this.take(<i32>this.u16());
            break;
          case 0xc6:
          case 0xdb:
            this.take(this.length32());
            break;
          case 0xcd:
          case 0xd1:
            this.take(2);
            break;
          case 0xce:
          case 0xd2:
          case 0xca:
            this.take(4);
            break;
          case 0xcf:
          case 0xd3:
          case 0xcb:
            this.take(8);
            break;
          case 0xd4:
            this.take(2);
            break;
          case 0xd5:
            this.take(3);
            break;
          case 0xd6:
            this.take(5);
            break;
          case 0xd7:
            this.take(9);
            break;
          case 0xd8:
            this.take(17);
            break;
          case 0xc7:
            this.take(<i32>this.u8() + 1);
            break;
          case 0xc8:
            this.take(<i32>this.u16() + 1);
            break;
          case 0xc9: {
            const len = this.length32();
            if (len >= 0) this.take(len + 1);
            break;
          }
          case 0xdc:
            pending += <i64>this.u16();
            break;
          case 0xdd:
            pending += <i64>this.u32();
            break;
          case 0xde:
            pending += <i64>this.u16() * 2;
            break;
          case 0xdf:
            pending += <i64>this.u32() * 2;
            break;
          default:
            // 0xc1 is the one marker MessagePack never uses.
            this.fail("invalid MessagePack marker");
            return;
        }
      }
      // Every pending value needs at least one byte: more than the input holds is malformed.
      if (pending > <i64>this.remaining) this.fail("unexpected end of input");
    }
  }
}
