import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";

/**
 * Fuel charged per executed instruction, by class, plus the per-size rates of the dynamically charged
 * operations. The table is part of consensus: every validator must meter with the same table, named by
 * `version`. See packages/runtime/FUEL.md for the rationale of each figure.
 */
export interface CostTable {
  /** Label of this table; the default is {@link FUEL_COST_TABLE_VERSION}. Change it whenever a figure changes. */
  readonly version: string;
  /**
   * `nop`, `drop`, `block`, `loop`, `else`, `end`, `unreachable`, `return`: instructions that generate no
   * work of their own (wasmtime's fuel model charges them 0 as well).
   */
  readonly structural: number;
  /** `call`, `call_indirect`, `return_call`, `return_call_indirect`. */
  readonly call: number;
  /** Every other instruction (numeric, memory, local/global, `if`, `br*`, `select`, SIMD, bulk ops' base). */
  readonly instruction: number;
  /** Added by `memory.grow` per requested page (64 KiB), charged even when the grow fails. */
  readonly memoryGrowPerPage: number;
  /**
   * `memory.fill`, `memory.copy` and `memory.init` add one fuel per this many bytes of their length operand,
   * rounded up (a power of two).
   */
  readonly bulkMemoryBytesPerFuel: number;
  /** `table.fill`, `table.copy`, `table.init` and `table.grow` add this much per element of their length operand. */
  readonly tablePerElement: number;
}

/** Version of {@link DEFAULT_COST_TABLE}; part of consensus (validators only agree on equal versions). */
export const FUEL_COST_TABLE_VERSION = "1";

/**
 * Cost table version "1". Static costs match wasmtime's default fuel costs (the reference runtime), so a
 * completed call consumes the same fuel here as under wasmtime; bulk operations are additionally charged
 * by size, at the rate of a page being as costly as filling it byte by byte (65536 / 16 = 4096).
 */
export const DEFAULT_COST_TABLE: CostTable = Object.freeze({
  version: FUEL_COST_TABLE_VERSION,
  structural: 0,
  call: 1,
  instruction: 1,
  memoryGrowPerPage: 4096,
  bulkMemoryBytesPerFuel: 16,
  tablePerElement: 1,
});

/** Largest static cost of one instruction: keeps every per-block sum far below 2^53. */
const MAX_STATIC_COST = 2 ** 16;
/** Largest per-unit dynamic cost: a 32-bit size operand times it stays below 2^61 (no i64 overflow). */
const MAX_DYNAMIC_COST = 2 ** 29;

/**
 * Checks a cost table's figures are in range, so the generated arithmetic can never overflow.
 * @param table - the table to check.
 * @returns the same table.
 * @throws FuelMeteringError `FUEL_INVALID_COST_TABLE` naming the bad field.
 */
export function checkCostTable(table: CostTable): CostTable {
  if (typeof table.version !== "string" || table.version.length === 0) {
    throw invalid("version must be a non-empty string");
  }
  for (const field of ["structural", "call", "instruction"] as const) {
    checkInteger(field, table[field], MAX_STATIC_COST);
  }
  checkInteger("memoryGrowPerPage", table.memoryGrowPerPage, MAX_DYNAMIC_COST);
  checkInteger("tablePerElement", table.tablePerElement, MAX_DYNAMIC_COST);
  const unit = table.bulkMemoryBytesPerFuel;
  checkInteger("bulkMemoryBytesPerFuel", unit, 2 ** 30);
  if (unit < 1 || (unit & (unit - 1)) !== 0)
    throw invalid("bulkMemoryBytesPerFuel must be a power of two ≥ 1");
  return table;
}

function checkInteger(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(`${field} must be an integer in [0, ${max}], got ${String(value)}`);
  }
}

function invalid(what: string): FuelMeteringError {
  return new FuelMeteringError(FuelMeteringErrorCode.InvalidCostTable, `invalid fuel cost table: ${what}`);
}
