import type { ChargePlacement } from "./body.js";
import { type CostTable, checkCostTable, DEFAULT_COST_TABLE } from "./costTable.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";
import { rewriteModule } from "./rewriteModule.js";

export type { CostTable } from "./costTable.js";
export { DEFAULT_COST_TABLE, FUEL_COST_TABLE_VERSION } from "./costTable.js";
export { FuelMeteringError, FuelMeteringErrorCode, isFuelMeteringError } from "./errors.js";
export { FUEL_GLOBAL_EXPORT, FUEL_START_EXPORT } from "./rewriteModule.js";

/** Options of {@link meterModule}. */
export interface MeterOptions {
  /** Cost table; {@link DEFAULT_COST_TABLE} (version `FUEL_COST_TABLE_VERSION`) by default. */
  readonly costTable?: CostTable;
}

/**
 * Injects deterministic fuel metering into a module.
 *
 * The result exports `__platform_fuel`, a mutable i64 global holding the remaining fuel (initially 0: the host
 * sets the budget before calling an export). Every straight-line block is charged its cost before it runs;
 * when a charge would take the fuel below zero the module sets the global to -1 and executes `unreachable`,
 * so the host tells "out of fuel" (global < 0) from any other trap. `memory.grow` and the bulk memory/table
 * operations are also charged in proportion to their size operand. A start section is removed and its
 * function exported as `__platform_start`, which the host must call once, after setting the fuel and before
 * any other export. Costs are defined on the input's own instructions, so the same bytes and cost table
 * give the same fuel on every machine.
 * @param bytes - the module; it is validated first (an invalid module is refused, never "fixed" by metering).
 * @param options - cost table override.
 * @returns the metered module, validated.
 * @throws FuelMeteringError with a stable `code` when the module or cost table cannot be metered.
 * @example
 * ```ts
 * const metered = meterModule(bytes);
 * const instance = new WebAssembly.Instance(new WebAssembly.Module(metered));
 * const fuel = instance.exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
 * fuel.value = 1_000_000n;
 * (instance.exports.run as () => void)();
 * const consumed = 1_000_000n - (fuel.value as bigint);
 * ```
 */
export function meterModule(bytes: Uint8Array, options?: MeterOptions): Uint8Array<ArrayBuffer> {
  return meterModuleWithPlacement(bytes, options?.costTable ?? DEFAULT_COST_TABLE, "block");
}

/**
 * {@link meterModule} with a choice of charge placement; `"instruction"` is the per-instruction oracle used
 * by tests to prove the block placement exact.
 * @param bytes - the module.
 * @param costTable - the cost table.
 * @param placement - where charges go.
 * @returns the metered, validated module.
 */
export function meterModuleWithPlacement(
  bytes: Uint8Array,
  costTable: CostTable,
  placement: ChargePlacement,
): Uint8Array<ArrayBuffer> {
  const table = checkCostTable(costTable);
  // Validate first: an invalid module referring to a global or local index that does not exist yet would
  // become valid once the fuel global and scratch locals are added — and could then rewrite its own fuel.
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
    throw new FuelMeteringError(FuelMeteringErrorCode.InvalidModule, "the module does not validate");
  }
  const metered = rewriteModule(bytes, table, placement);
  if (!WebAssembly.validate(metered)) {
    throw new FuelMeteringError(
      FuelMeteringErrorCode.OutputInvalid,
      "the metered module does not validate (a function may exceed an engine limit once metered)",
      { cause: compileError(metered) },
    );
  }
  return metered;
}

/** The engine's own message for an invalid module (validate() only answers yes or no). */
function compileError(bytes: Uint8Array<ArrayBuffer>): unknown {
  try {
    new WebAssembly.Module(bytes);
    return undefined;
  } catch (error) {
    return error;
  }
}
