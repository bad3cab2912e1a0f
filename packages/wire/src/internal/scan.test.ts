import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { isWireDecodeError, WireDecodeError } from "../errors.js";
import { MAX_DEPTH, scan } from "./scan.js";

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));

function scanError(bytes: Uint8Array): WireDecodeError {
  try {
    scan(bytes);
  } catch (e) {
    if (isWireDecodeError(e)) return e;
    throw e;
  }
  throw new Error("scan accepted the input");
}

describe("scan (structural guard)", () => {
  it("accepts well-formed values of every MessagePack family the ABI uses", () => {
    const value = {
      s: "text",
      long: "x".repeat(300),
      b: new Uint8Array(70_000),
      n: [0, 127, 128, 255, 256, 65_536, 2 ** 32, -1, -33, -129, -40_000, -(2 ** 31) - 1, 1.5],
      t: true,
      f: false,
      z: null,
      m: { nested: { deeper: ["ok"] } },
    };
    expect(scan(encode(value, { useBigInt64: true }))).toEqual({ protoKey: false });
  });

  it("rejects empty input and truncation at every position", () => {
    expect(scanError(new Uint8Array(0)).message).toMatch(/unexpected end/);
    const full = encode({ command: "ls", args: ["-l"], env: { A: "b" } });
    for (let n = 0; n < full.length; n++) {
      expect(() => scan(full.subarray(0, n)), `prefix ${n}`).toThrow(WireDecodeError);
    }
  });

  it("rejects trailing bytes after the value", () => {
    expect(scanError(hex("c0 c0")).message).toMatch(/1 trailing byte/);
  });

  it("rejects declared lengths beyond the input before anything is allocated", () => {
    // array32 / map32 / str32 / bin32 claiming ~2^32 entries or bytes in a few bytes of input
    expect(scanError(hex("dd ffffffff")).message).toMatch(/array longer than the remaining input/);
    expect(scanError(hex("df ffffffff")).message).toMatch(/map longer than the remaining input/);
    expect(scanError(hex("db ffffffff 61")).message).toMatch(/string longer than the remaining input/);
    expect(scanError(hex("c6 ffffffff 00")).message).toMatch(/bin longer than the remaining input/);
    // a map of n entries needs 2n slots: 2 entries cannot fit in 2 bytes
    expect(scanError(hex("82 a161")).message).toMatch(/map longer than the remaining input/);
  });

  it("rejects extension types (records, timestamps, msgpackr's own) and the reserved 0xc1", () => {
    for (const h of [
      "d4 72 00",
      "d6 ff 00000000",
      "c7 01 05 00",
      "d5 62 0000",
      "c8 0001 05 00",
      "c9 00000001 05 00",
    ]) {
      expect(scanError(hex(h)).message, h).toMatch(/extension types are not part of the ABI/);
    }
    expect(scanError(hex("c1")).message).toMatch(/reserved byte 0xc1/);
  });

  it("requires string map keys", () => {
    expect(scanError(hex("81 01 02")).message).toMatch(/map key must be a string/);
    expect(scanError(hex("81 c0 02")).message).toMatch(/map key must be a string/);
  });

  it("rejects invalid UTF-8 in strings and keys, with the path", () => {
    const bad = hex("82 a161 a3 61 ff 62 a162 c0"); // {"a": "a\xffb", "b": nil}
    const e = scanError(bad);
    expect(e.message).toBe("a: string is not valid UTF-8");
    expect(scanError(hex("81 a2 c328 c0")).message).toMatch(/map key is not valid UTF-8/);
    // encoded surrogate (CESU) is not UTF-8
    expect(scanError(hex("a3 eda080")).message).toMatch(/not valid UTF-8/);
    // a long (non-inline-checked) invalid string
    expect(scanError(Uint8Array.from([0xd9, 100, ...new Array(99).fill(0x61), 0xff])).message).toMatch(
      /UTF-8/,
    );
    // valid multi-byte text passes
    expect(scan(encode({ k: "données 日本 🎉" }))).toEqual({ protoKey: false });
  });

  it(`limits nesting to ${MAX_DEPTH} levels`, () => {
    // padded with a long string so that the container budget is not what stops them
    const pad = [0xd9, 200, ...new Array(200).fill(0x61)];
    const ok = Uint8Array.from([...new Array(MAX_DEPTH).fill(0x91), ...pad]);
    expect(() => scan(ok)).not.toThrow();
    const deep = Uint8Array.from([...new Array(MAX_DEPTH + 1).fill(0x91), ...pad]);
    expect(scanError(deep).message).toMatch(/nesting deeper than 32/);
    // A 100k-level bomb fails fast and without recursion.
    expect(scanError(new Uint8Array(100_000).fill(0x91)).message).toMatch(/nesting deeper/);
  });

  it("ties the number of maps and arrays to the input size", () => {
    // array16 of n empty maps: n + 3 bytes but n + 1 containers
    const n = 4096;
    const bomb = new Uint8Array(n + 3);
    bomb.set([0xdc, n >> 8, n & 0xff]);
    bomb.fill(0x80, 3);
    expect(scanError(bomb).message).toMatch(/too many maps\/arrays/);
    // a handful of containers in a small message is fine
    expect(() => scan(encode({ a: [], b: {}, c: [[], {}], d: { e: [] } }))).not.toThrow();
  });

  it("names the path of the problem: array indices and map keys", () => {
    // {"args": ["a", "b", <ext>]}
    const bytes = hex("81 a461726773 93 a161 a162 d4 01 00");
    expect(scanError(bytes).path).toBe("args[2]");
    // {"env": {"we ird": <c1>}}
    expect(scanError(hex("81 a3656e76 81 a6 7765206972 64 c1")).path).toBe('env["we ird"]');
  });

  it("flags a __proto__ key anywhere", () => {
    expect(scan(encode({ a: { proto: 1 } }))).toEqual({ protoKey: false });
    const withKey = hex("81 a161 81 a95f5f70726f746f5f5f 01"); // {"a": {"__proto__": 1}}
    expect(scan(withKey)).toEqual({ protoKey: true });
  });
});
