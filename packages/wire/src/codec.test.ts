// The generic encoders: every MessagePack format boundary against an independent implementation, and the
// values that are not part of the ABI.
import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { encodeEnvelope, encodeMessage } from "./codec.js";
import { isWireEncodeError, WireEncodeError } from "./errors.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
/** Reference bytes; integers beyond 32 bits as bigints (see goldenVectors.test.ts). */
const ref = (v: unknown): string =>
  hex(
    encode(typeof v === "number" && (v < -0x8000_0000 || v > 0xffff_ffff) ? BigInt(v) : v, {
      useBigInt64: true,
    }),
  );

describe("encodeMessage format choices match rmp's smallest-format rule", () => {
  it("integers at every boundary", () => {
    const ints = [
      0,
      1,
      127,
      128,
      255,
      256,
      65_535,
      65_536,
      2 ** 32 - 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32_768,
      -32_769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      Number.MIN_SAFE_INTEGER,
    ];
    for (const n of ints) expect(hex(encodeMessage(n)), String(n)).toBe(ref(n));
    for (const n of [2n ** 64n - 1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 32n, -(2n ** 63n), -(2n ** 31n) - 1n]) {
      expect(hex(encodeMessage(n)), String(n)).toBe(hex(encode(n, { useBigInt64: true })));
    }
    expect(hex(encodeMessage(2n ** 64n - 1n))).toBe("cfffffffffffffffff");
    // a bigint is written by value, like any integer (the reference library always uses 64 bits for them)
    expect(hex(encodeMessage(5n))).toBe("05");
    expect(hex(encodeMessage(-5n))).toBe("fb");
  });

  it("strings, binaries, arrays and maps at every header boundary", () => {
    for (const n of [0, 31, 32, 255, 256, 65_535, 65_536]) {
      expect(hex(encodeMessage("a".repeat(n))), `str ${n}`).toBe(ref("a".repeat(n)));
      expect(hex(encodeMessage("é".repeat(n >> 1))), `utf8 str ${n}`).toBe(ref("é".repeat(n >> 1)));
      expect(hex(encodeMessage(new Uint8Array(n))), `bin ${n}`).toBe(ref(new Uint8Array(n)));
    }
    for (const n of [0, 15, 16, 65_535, 65_536]) {
      const arr = new Array(n).fill(null);
      expect(hex(encodeMessage(arr)), `array ${n}`).toBe(ref(arr));
    }
    for (const n of [0, 15, 16, 300]) {
      const map = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
      expect(hex(encodeMessage(map)), `map ${n}`).toBe(ref(map));
    }
  });

  it("None as nil, booleans, nested structures in insertion order", () => {
    const v = { z: undefined, a: null, t: true, f: false, list: [{ b: 1, a: 2 }] };
    expect(hex(encodeMessage(v))).toBe(ref({ z: null, a: null, t: true, f: false, list: [{ b: 1, a: 2 }] }));
  });

  it("writes a Buffer as bin and returns a Uint8Array", () => {
    const out = encodeMessage({ b: Buffer.from([1]) });
    expect(out).toBeInstanceOf(Uint8Array);
    expect(hex(out)).toBe("81a162c40101");
  });

  it("never emits records, extensions, float32 or undefined-as-ext", () => {
    // the same shape twice would become a record with msgpackr's defaults
    const bytes = encodeMessage([{ a: 1 }, { a: 1 }, undefined]);
    expect(hex(bytes)).toBe("9381a1610181a16101c0");
  });
});

describe("encodeMessage refuses what is not ABI", () => {
  const cases: [string, unknown, string][] = [
    ["float", { x: 1.5 }, "x"],
    ["NaN", [Number.NaN], "[0]"],
    ["Infinity", Number.POSITIVE_INFINITY, ""],
    ["bigint beyond u64", 2n ** 64n, ""],
    ["bigint below i64", -(2n ** 63n) - 1n, ""],
    ["Map", { m: new Map() }, "m"],
    ["Date", { d: new Date(0) }, "d"],
    ["class instance", { c: new (class Thing {})() }, "c"],
    ["function", { f: () => 1 }, "f"],
    ["symbol", { s: Symbol("x") }, "s"],
    ["other typed array", { t: new Uint16Array(1) }, "t"],
  ];
  it.each(cases)("%s", (_name, value, path) => {
    try {
      encodeMessage(value);
      expect.unreachable();
    } catch (e) {
      expect(isWireEncodeError(e)).toBe(true);
      expect((e as WireEncodeError).path).toBe(path);
      expect((e as WireEncodeError).code).toBe("WIRE_ENCODE");
    }
  });

  it("a cycle fails with a WireEncodeError instead of overflowing the stack", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => encodeMessage(a)).toThrow(WireEncodeError);
  });

  it("keeps a __proto__ key as data", () => {
    const v = JSON.parse('{"__proto__": 1, "a": 2}') as unknown;
    expect(hex(encodeMessage(v))).toBe("82a95f5f70726f746f5f5f01a16102");
  });
});

describe("encodeEnvelope", () => {
  it("writes {Ok} / {Err}", () => {
    expect(hex(encodeEnvelope({ Ok: { records: [] } }))).toBe(ref({ Ok: { records: [] } }));
    expect(hex(encodeEnvelope({ Err: "NetworkDisabled" }))).toBe(ref({ Err: "NetworkDisabled" }));
  });
  it("writes known response structs in Rust field order whatever order they were built in", () => {
    const shuffled = {
      signal: undefined,
      stdout: new Uint8Array([1]),
      exit_code: 0,
      stderr_truncated: false,
      stderr: new Uint8Array(),
      stdout_truncated: false,
      duration_ms: 2 ** 40,
    };
    const ordered = {
      exit_code: 0,
      stdout: new Uint8Array([1]),
      stderr: new Uint8Array(),
      duration_ms: 2n ** 40n,
      stdout_truncated: false,
      stderr_truncated: false,
      signal: null,
    };
    expect(hex(encodeEnvelope({ Ok: shuffled }))).toBe(ref({ Ok: ordered }));
    expect(hex(encodeEnvelope({ Ok: { body: new Uint8Array(), headers: {}, status: 200 } }))).toBe(
      ref({ Ok: { status: 200, headers: {}, body: new Uint8Array() } }),
    );
    // and range-checks them
    expect(() => encodeEnvelope({ Ok: { ...shuffled, exit_code: 2 ** 31 } })).toThrow(
      /Ok.exit_code: i32 out of range/,
    );
    // other shapes are written as given
    expect(hex(encodeEnvelope({ Ok: { b: 1, a: 2 } }))).toBe(ref({ Ok: { b: 1, a: 2 } }));
  });

  it("requires exactly one arm", () => {
    expect(() => encodeEnvelope({ Ok: 1, Err: 2 } as never)).toThrow(/exactly one of Ok \/ Err/);
    expect(() => encodeEnvelope({} as never)).toThrow(WireEncodeError);
    expect(() => encodeEnvelope([] as never)).toThrow(WireEncodeError);
  });
});
