import { loadFixture } from "@platform-wasm/guest-fixtures";
import { describe, expect, it } from "vitest";
import { DEFAULT_COST_TABLE } from "./costTable.js";
import { FuelMeteringErrorCode, isFuelMeteringError } from "./errors.js";
import {
  FUEL_COST_TABLE_VERSION,
  FUEL_GLOBAL_EXPORT,
  FUEL_START_EXPORT,
  meterModule,
  meterModuleWithPlacement,
} from "./meter.js";

type Exports = Record<string, unknown>;

function compile(bytes: Uint8Array): WebAssembly.Module {
  return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
}

/** Instantiates metered bytes, sets the budget, calls `name(...args)`; returns the result and fuel left. */
function runMetered(bytes: Uint8Array, budget: bigint, name: string, args: readonly unknown[]) {
  const instance = new WebAssembly.Instance(compile(bytes));
  const exports = instance.exports as Exports;
  const fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
  fuel.value = budget;
  let result: unknown;
  let error: unknown;
  try {
    result = (exports[name] as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    error = e;
  }
  return { result, error, remaining: fuel.value as bigint };
}

/** Fuel used by one call with an ample budget. */
function consumed(bytes: Uint8Array, name: string, args: readonly unknown[]): bigint {
  const budget = 1n << 40n;
  const { error, remaining } = runMetered(bytes, budget, name, args);
  if (error !== undefined) throw error;
  return budget - remaining;
}

const loop = meterModule(loadFixture("fuel-loop"));

describe("meterModule contract", () => {
  it("exports a mutable i64 fuel global starting at 0 and validates", () => {
    expect(WebAssembly.validate(loop)).toBe(true);
    const instance = new WebAssembly.Instance(compile(loop));
    const fuel = instance.exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
    expect(fuel.value).toBe(0n);
    fuel.value = 5n;
    expect(fuel.value).toBe(5n);
    expect(FUEL_COST_TABLE_VERSION).toBe("1");
    expect(DEFAULT_COST_TABLE.version).toBe(FUEL_COST_TABLE_VERSION);
  });

  it("charges exactly the cost table's sum of executed instructions (hand-counted sum loop)", () => {
    // sum(n): entry block: (block, loop) = 0 → no charge; loop header line:
    //   local.get i, local.get n, i32.ge_u, br_if = 4
    // after br_if: local.get acc, local.get i, i32.add, local.set acc, local.get i, i32.const 1, i32.add,
    //   local.set i, br = 9
    // after block end: local.get acc, end = 1
    // total = (4 + 9) * n + 4 + 1
    for (const n of [0, 1, 2, 10, 1000]) {
      expect(consumed(loop, "sum", [n])).toBe(BigInt(13 * n + 5));
    }
  });

  it("stops an infinite loop with the global at -1", () => {
    const { error, remaining } = runMetered(loop, 1_000_000n, "spin", [0]);
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(remaining).toBe(-1n);
  });

  it("after a guest trap (not fuel) the global holds the fuel of the last call boundary, deterministically", () => {
    // trapAfter loops, then divides by zero: no call or return in between, so the global still holds
    // the budget the export was entered with; and the same on every run.
    const first = runMetered(loop, 1_000_000n, "trapAfter", [40]);
    const second = runMetered(loop, 1_000_000n, "trapAfter", [40]);
    expect(first.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(first.remaining).toBe(1_000_000n);
    expect(second.remaining).toBe(first.remaining);
    // Not enough fuel to reach the division: fuel exhaustion, the -1 marker.
    expect(runMetered(loop, 100n, "trapAfter", [40]).remaining).toBe(-1n);
  });

  it("turns a start function into __platform_start, metered like any export", () => {
    const plain = loadFixture("fuel-start");
    const metered = meterModule(plain);
    const module = compile(metered);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names).toContain(FUEL_START_EXPORT);
    const instance = new WebAssembly.Instance(module);
    const exports = instance.exports as Exports;
    const fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
    fuel.value = 10_000n;
    // Nothing ran at instantiation: the seed is still 0 until the host calls __platform_start.
    expect((exports.seed as () => number)()).toBe(0);
    (exports[FUEL_START_EXPORT] as () => void)();
    const reference = new WebAssembly.Instance(compile(plain)).exports as Exports;
    expect((exports.seed as () => number)()).toBe((reference.seed as () => number)());
    expect(fuel.value).toBeLessThan(10_000n);
    // Out of fuel inside the start function: it traps with the marker set.
    const starved = new WebAssembly.Instance(module).exports as Exports;
    (starved[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value = 10n;
    expect(() => (starved[FUEL_START_EXPORT] as () => void)()).toThrow(WebAssembly.RuntimeError);
    expect((starved[FUEL_GLOBAL_EXPORT] as WebAssembly.Global).value).toBe(-1n);
  });

  it("does not add __platform_start to a module without a start section", () => {
    const names = WebAssembly.Module.exports(compile(loop)).map((e) => e.name);
    expect(names).not.toContain(FUEL_START_EXPORT);
    expect(names).toContain(FUEL_GLOBAL_EXPORT);
  });

  it("block placement consumes the same as the per-instruction oracle", () => {
    const oracle = meterModuleWithPlacement(loadFixture("fuel-loop"), DEFAULT_COST_TABLE, "instruction");
    for (const n of [0, 3, 77]) {
      expect(consumed(loop, "collatz", [n])).toBe(consumed(oracle, "collatz", [n]));
      expect(consumed(loop, "nested", [n])).toBe(consumed(oracle, "nested", [n]));
    }
  });

  it("refuses invalid input with a typed error", () => {
    try {
      meterModule(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 99));
      expect.unreachable();
    } catch (e) {
      expect(isFuelMeteringError(e)).toBe(true);
      expect((e as { code: string }).code).toBe(FuelMeteringErrorCode.InvalidModule);
    }
  });
});
