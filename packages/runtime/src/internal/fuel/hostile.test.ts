// Hostile and unusual modules: everything the transform refuses is refused with a typed error, nothing it
// accepts can tamper with its own fuel, and arbitrary byte mutations never crash it.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import initWabt from "wabt";
import { type CostTable, DEFAULT_COST_TABLE } from "./costTable.js";
import { FuelMeteringErrorCode, isFuelMeteringError } from "./errors.js";
import { FUEL_GLOBAL_EXPORT, meterModule } from "./meter.js";
import { rewriteModule } from "./rewriteModule.js";

// Worker threads, child processes and fuzzing are slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

type Wabt = Awaited<ReturnType<typeof initWabt>>;
let wabt: Wabt;
beforeAll(async () => {
  wabt = await initWabt();
});

const ALL_FEATURES = {
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  exceptions: true,
  memory64: true,
  gc: true,
  function_references: true,
  tail_call: true,
  simd: true,
  relaxed_simd: true,
};

/** WAT → bytes; `validate: false` keeps deliberately invalid modules. */
function wat(source: string, options: { validate?: boolean; names?: boolean } = {}): Uint8Array {
  const parsed = wabt.parseWat("test.wat", source, ALL_FEATURES);
  parsed.resolveNames();
  if (options.validate !== false) parsed.validate();
  const { buffer } = parsed.toBinary({ log: false, write_debug_names: options.names ?? false });
  parsed.destroy();
  return buffer;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isFuelMeteringError(error)) return error.code;
    throw error;
  }
  return "accepted";
}

function instantiate(bytes: Uint8Array, imports: WebAssembly.Imports = {}): Record<string, unknown> {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports)
    .exports as Record<string, unknown>;
}

describe("refusals", () => {
  it("refuses a module that already exports a reserved name", () => {
    const fuel = wat(`(module (global (export "__platform_fuel") (mut i64) (i64.const 999999)))`);
    const start = wat(`(module (func (export "__platform_start")))`);
    expect(codeOf(() => meterModule(fuel))).toBe(FuelMeteringErrorCode.ReservedExport);
    expect(codeOf(() => meterModule(start))).toBe(FuelMeteringErrorCode.ReservedExport);
  });

  it("refuses an invalid module that metering would make valid (fuel global capture)", () => {
    // `global.set 0` with no global 0: invalid. After metering, global 0 would be the fuel global, and the
    // guest would hand itself unlimited fuel — so the input must be validated first.
    const capture = wat(`(module (func (export "run") (global.set 0 (i64.const 9223372036854775807))))`, {
      validate: false,
    });
    expect(WebAssembly.validate(capture as Uint8Array<ArrayBuffer>)).toBe(false);
    expect(WebAssembly.validate(rewriteModule(capture, DEFAULT_COST_TABLE, "block"))).toBe(true);
    expect(codeOf(() => meterModule(capture))).toBe(FuelMeteringErrorCode.InvalidModule);
  });

  it("refuses an invalid module that would capture a scratch local", () => {
    const capture = wat(`(module (func (param i32) (local.set 3 (i64.const 1))))`, { validate: false });
    expect(codeOf(() => meterModule(capture))).toBe(FuelMeteringErrorCode.InvalidModule);
  });

  it("refuses features it does not meter exactly, even when the engine would accept them", () => {
    const tag = wat(`(module (tag $e) (func (export "t") (throw $e)))`);
    const memory64 = wat(`(module (memory i64 1))`);
    const gcType = wat(`(module (type (struct (field i32))))`);
    const relaxed = wat(
      `(module (func (export "r") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1))))`,
    );
    expect(codeOf(() => meterModule(tag))).toMatch(/FUEL_(UNSUPPORTED_FEATURE|INVALID_MODULE)/);
    // Straight to the rewriter, so the refusal does not depend on what this Node version validates.
    for (const bytes of [tag, memory64, gcType, relaxed]) {
      expect(codeOf(() => rewriteModule(bytes, DEFAULT_COST_TABLE, "block"))).toBe(
        FuelMeteringErrorCode.UnsupportedFeature,
      );
    }
  });

  it("refuses garbage and truncated modules", () => {
    const good = loadFixture("fuel-loop");
    expect(codeOf(() => meterModule(new Uint8Array(0)))).toBe(FuelMeteringErrorCode.InvalidModule);
    expect(codeOf(() => meterModule(good.subarray(0, good.length - 3)))).toBe(
      FuelMeteringErrorCode.InvalidModule,
    );
    expect(codeOf(() => rewriteModule(good.subarray(0, good.length - 3), DEFAULT_COST_TABLE, "block"))).toBe(
      FuelMeteringErrorCode.InvalidModule,
    );
  });

  it("checks custom cost tables", () => {
    const bytes = loadFixture("fuel-loop");
    const bad: Partial<CostTable>[] = [
      { instruction: -1 },
      { instruction: 1.5 },
      { call: 2 ** 20 },
      { memoryGrowPerPage: 2 ** 40 },
      { bulkMemoryBytesPerFuel: 0 },
      { bulkMemoryBytesPerFuel: 24 },
      { version: "" },
    ];
    for (const patch of bad) {
      expect(codeOf(() => meterModule(bytes, { costTable: { ...DEFAULT_COST_TABLE, ...patch } }))).toBe(
        FuelMeteringErrorCode.InvalidCostTable,
      );
    }
  });
});

describe("robustness", () => {
  it("never crashes on mutated modules: a typed refusal or a module that validates", () => {
    const corpus = ["fuel-loop", "fuel-bulk", "fuel-multivalue", "fuel-misc", "fuel-indirect"].map(
      loadFixture,
    );
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const bytes = (corpus[which] as Uint8Array).slice();
          for (const [at, value] of edits) bytes[8 + (at % (bytes.length - 8))] = value;
          let out: Uint8Array | undefined;
          try {
            out = meterModule(bytes);
          } catch (error) {
            expect(isFuelMeteringError(error)).toBe(true);
            return;
          }
          expect(WebAssembly.validate(out as Uint8Array<ArrayBuffer>)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("module shapes", () => {
  it("numbers the fuel global after imported and defined globals, and keeps theirs intact", () => {
    const bytes = wat(`(module
      (import "env" "g" (global $g i32))
      (global $h (mut i32) (i32.const 5))
      (func (export "read") (result i32) (i32.add (global.get $g) (global.get $h))))`);
    const exports = instantiate(meterModule(bytes), { env: { g: 37 } });
    (exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value = 100n;
    expect((exports.read as () => number)()).toBe(42);
    expect((exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value).toBe(97n);
  });

  it("meters a module with no globals and no exports (sections inserted in order)", () => {
    const bytes = wat(`(module (func $f (drop (i32.const 1))) (start $f))`);
    const exports = instantiate(meterModule(bytes));
    (exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value = 5n;
    (exports.__platform_start as () => void)();
    expect((exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value).toBe(4n);
  });

  it("meters calls to host imports and keeps the fuel exact across them", () => {
    const bytes = wat(`(module
      (import "env" "peek" (func $peek (result i64)))
      (func (export "run") (result i64) (call $peek) (call $peek) (i64.add)))`);
    let exports: Record<string, unknown> = {};
    const seen: bigint[] = [];
    const peek = () => {
      const value = (exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value as bigint;
      seen.push(value);
      return value;
    };
    exports = instantiate(meterModule(bytes), { env: { peek } });
    (exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value = 10n;
    (exports.run as () => bigint)();
    // Each line (`call` and `call, i64.add`) is paid before it runs; the host sees the exact remainder.
    expect(seen).toEqual([9n, 8n]);
    expect((exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value).toBe(7n);
  });

  it("keeps the name section and other custom sections, drops ones that address code offsets", () => {
    const named = wat(`(module (func $helper (export "h")))`, { names: true });
    const custom = (name: string, payload: number[]): number[] => {
      const encoded = [...new TextEncoder().encode(name)];
      const body = [encoded.length, ...encoded, ...payload];
      return [0, body.length, ...body];
    };
    const bytes = Uint8Array.from([
      ...named,
      ...custom("keep.me", [1, 2, 3]),
      ...custom("metadata.code.branch_hint", [0]),
    ]);
    const module = new WebAssembly.Module(meterModule(bytes));
    expect(WebAssembly.Module.customSections(module, "name")).toHaveLength(1);
    expect(WebAssembly.Module.customSections(module, "keep.me")).toHaveLength(1);
    expect(WebAssembly.Module.customSections(module, "metadata.code.branch_hint")).toHaveLength(0);
  });

  it("applies a custom cost table", () => {
    const bytes = loadFixture("fuel-loop");
    const doubled = meterModule(bytes, {
      costTable: { ...DEFAULT_COST_TABLE, version: "test-2", instruction: 2 },
    });
    const exports = instantiate(doubled);
    const fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
    fuel.value = 1_000_000n;
    (exports.sum as (n: number) => number)(10);
    // sum(n) costs 13n + 5 under table 1 (all of it "instruction" class): doubled here.
    expect(1_000_000n - (fuel.value as bigint)).toBe(2n * (13n * 10n + 5n));
  });
});
