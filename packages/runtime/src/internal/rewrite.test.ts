import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRuntimeError, RuntimeErrorCode } from "../errors.js";
import { applyRewrites, TABLE_ELEMENTS_BUDGET } from "./rewrite.js";
import { encodeUleb, parseModule } from "./wasmBinary.js";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function section(id: number, content: number[]): number[] {
  return [id, ...encodeUleb(content.length), ...content];
}

function limits(min: number, max: number | undefined): number[] {
  return max === undefined ? [0x00, ...encodeUleb(min)] : [0x01, ...encodeUleb(min), ...encodeUleb(max)];
}

/** A module with one defined memory, an export of it and a custom section after it (kept verbatim). */
function definedMemory(min: number, max: number | undefined): Uint8Array {
  return Uint8Array.from([
    ...HEADER,
    ...section(5, [0x01, ...limits(min, max)]),
    ...section(7, [0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00]),
    ...section(0, [0x01, 0x78, 0xaa, 0xbb]),
  ]);
}

function importedMemory(min: number, max: number | undefined): Uint8Array {
  return Uint8Array.from([
    ...HEADER,
    ...section(2, [0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, ...limits(min, max)]),
  ]);
}

function maxOf(bytes: Uint8Array): bigint | undefined {
  const parsed = parseModule(bytes);
  return (parsed.memories[0] ?? parsed.imports[0]?.limits)?.max;
}

describe("applyRewrites (memory cap)", () => {
  it("sets max = min(declared, cap), or cap when none is declared", () => {
    for (const make of [definedMemory, importedMemory]) {
      const none = applyRewrites(make(1, undefined), parseModule(make(1, undefined)), 64);
      expect(maxOf(none.bytes)).toBe(64n);
      expect(none.memory).toMatchObject({ initialPages: 1, maximumPages: 64 });
      const above = applyRewrites(make(1, 65536), parseModule(make(1, 65536)), 64);
      expect(maxOf(above.bytes)).toBe(64n);
      const below = applyRewrites(make(1, 4), parseModule(make(1, 4)), 64);
      expect(maxOf(below.bytes)).toBe(4n);
      expect(WebAssembly.validate(none.bytes)).toBe(true);
    }
  });

  it("keeps every other byte (custom sections included)", () => {
    const out = applyRewrites(
      definedMemory(2, undefined),
      parseModule(definedMemory(2, undefined)),
      10,
    ).bytes;
    expect([...out.subarray(out.length - 6)]).toEqual([0x00, 0x04, 0x01, 0x78, 0xaa, 0xbb]);
    expect(new WebAssembly.Instance(new WebAssembly.Module(out)).exports.mem).toBeInstanceOf(
      WebAssembly.Memory,
    );
  });

  it("refuses an initial size above the cap with MEMORY_LIMIT", () => {
    const bytes = definedMemory(65, undefined);
    let error: unknown;
    try {
      applyRewrites(bytes, parseModule(bytes), 64);
    } catch (e) {
      error = e;
    }
    expect(isRuntimeError(error, RuntimeErrorCode.MEMORY_LIMIT)).toBe(true);
  });

  it("refuses shared, 64-bit and multiple memories with MODULE_UNSUPPORTED", () => {
    const cases = [
      Uint8Array.from([...HEADER, ...section(5, [0x01, 0x03, 0x01, 0x02])]),
      Uint8Array.from([...HEADER, ...section(5, [0x01, 0x04, 0x01])]),
      Uint8Array.from([...HEADER, ...section(5, [0x02, 0x00, 0x01, 0x00, 0x01])]),
      Uint8Array.from([
        ...HEADER,
        ...section(2, [0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, 0x00, 0x01]),
        ...section(5, [0x01, 0x00, 0x01]),
      ]),
    ];
    for (const bytes of cases) {
      expect(() => applyRewrites(bytes, parseModule(bytes), 64)).toThrow(
        expect.objectContaining({ code: RuntimeErrorCode.MODULE_UNSUPPORTED }),
      );
    }
  });

  it("caps table maxima within the element budget and refuses GC types", () => {
    const twoTables = Uint8Array.from([
      ...HEADER,
      ...section(4, [0x02, 0x70, 0x00, 0x01, 0x6f, 0x01, 0x02, 0x03]),
    ]);
    const out = applyRewrites(twoTables, parseModule(twoTables), 64).bytes;
    expect(parseModule(out).tables.map((t) => t.max)).toEqual([BigInt(TABLE_ELEMENTS_BUDGET / 2), 3n]);
    expect(WebAssembly.validate(out)).toBe(true);
    const huge = Uint8Array.from([
      ...HEADER,
      ...section(4, [0x01, 0x70, 0x00, ...encodeUleb(TABLE_ELEMENTS_BUDGET + 1)]),
    ]);
    expect(() => applyRewrites(huge, parseModule(huge), 64)).toThrow(
      expect.objectContaining({ code: RuntimeErrorCode.MEMORY_LIMIT }),
    );
    const gc = Uint8Array.from([...HEADER, ...section(1, [0x01, 0x5f, 0x00])]);
    expect(() => applyRewrites(gc, parseModule(gc), 64)).toThrow(
      expect.objectContaining({ code: RuntimeErrorCode.MODULE_UNSUPPORTED }),
    );
  });

  it("always yields a valid module whose maximum honours the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.option(fc.integer({ min: 0, max: 65536 }), { nil: undefined }),
        fc.integer({ min: 1, max: 65536 }),
        fc.boolean(),
        (min, declared, cap, imported) => {
          const max = declared === undefined ? undefined : Math.max(min, declared);
          const bytes = imported ? importedMemory(min, max) : definedMemory(min, max);
          if (min > cap) {
            expect(() => applyRewrites(bytes, parseModule(bytes), cap)).toThrow();
            return;
          }
          const out = applyRewrites(bytes, parseModule(bytes), cap);
          expect(WebAssembly.validate(out.bytes)).toBe(true);
          expect(maxOf(out.bytes)).toBe(BigInt(Math.min(max ?? cap, cap)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
