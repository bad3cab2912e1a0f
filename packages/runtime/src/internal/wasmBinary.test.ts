import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeUleb, parseModule, WasmFormatError } from "./wasmBinary.js";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function section(id: number, content: number[]): number[] {
  return [id, ...encodeUleb(content.length), ...content];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...encodeUleb(b.length), ...b];
}

describe("parseModule", () => {
  it("reads types, imports, memories, exports and the start function", () => {
    const bytes = Uint8Array.from([
      ...HEADER,
      ...section(1, [0x02, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7c, 0x60, 0x00, 0x00]), // (i32, i64) -> f64; () -> ()
      ...section(2, [
        0x02,
        ...name("ns"),
        ...name("f"),
        0x00,
        0x00,
        ...name("env"),
        ...name("memory"),
        0x02,
        0x01,
        0x02,
        0x80,
        0x01,
      ]),
      ...section(3, [0x01, 0x01]),
      ...section(7, [0x01, ...name("run"), 0x00, 0x01]),
      ...section(8, [0x01]),
      ...section(10, [0x01, 0x02, 0x00, 0x0b]),
    ]);
    const parsed = parseModule(bytes);
    expect(parsed.types).toEqual([
      { params: ["i32", "i64"], results: ["f64"] },
      { params: [], results: [] },
    ]);
    expect(parsed.imports.map((i) => [i.module, i.name, i.kind])).toEqual([
      ["ns", "f", "function"],
      ["env", "memory", "memory"],
    ]);
    expect(parsed.imports[1]?.limits).toMatchObject({ min: 2n, max: 128n, shared: false, is64: false });
    expect(parsed.exportNames).toEqual(["run"]);
    expect(parsed.startFunction).toBe(1);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it("flags shared and 64-bit memories", () => {
    const parsed = parseModule(
      Uint8Array.from([...HEADER, ...section(5, [0x02, 0x03, 0x01, 0x02, 0x04, 0x01])]),
    );
    expect(parsed.memories.map((m) => [m.shared, m.is64])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("rejects malformed binaries with WasmFormatError", () => {
    const bad = [
      [],
      [0x00, 0x61, 0x73],
      [0x01, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00],
      [...HEADER, 0x05, 0x10, 0x01], // section runs past the end
      [...HEADER, ...section(5, [0x01, 0x01, 0x80])], // truncated LEB
      [...HEADER, ...section(5, [0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])], // LEB too long
      [...HEADER, ...section(2, [0x01, 0x05, 0x61])], // name past its section
      [...HEADER, ...section(2, [0x01, ...name("a"), ...name("b"), 0x09])], // unknown import kind
      [...HEADER, ...section(5, [0x01, 0x08, 0x01])], // unsupported limits flags
      [...HEADER, ...section(2, [0x01, 0x01, 0xff, ...name("b"), 0x00, 0x00])], // non-UTF-8 name
    ];
    for (const b of bad) expect(() => parseModule(Uint8Array.from(b))).toThrow(WasmFormatError);
  });

  it("never throws anything but WasmFormatError on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        try {
          parseModule(Uint8Array.from([...HEADER, ...tail]));
        } catch (error) {
          expect(error).toBeInstanceOf(WasmFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("encodes unsigned LEB128", () => {
    expect([...encodeUleb(0)]).toEqual([0]);
    expect([...encodeUleb(127)]).toEqual([127]);
    expect([...encodeUleb(128)]).toEqual([0x80, 0x01]);
    expect([...encodeUleb(65536)]).toEqual([0x80, 0x80, 0x04]);
  });
});
