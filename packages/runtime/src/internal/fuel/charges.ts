import type { ByteWriter } from "./bytes.js";
import type { CostTable } from "./costTable.js";
import { Dynamic } from "./instructions.js";

/** Indices the injected code uses: the fuel global and three scratch locals appended to each function. */
export interface ChargeSlots {
  readonly fuelGlobal: number;
  /** i32: the length operand of a bulk operation, restored after charging. */
  readonly sizeLocal: number;
  /** i64: the fuel read once per charge. */
  readonly fuelLocal: number;
  /** i64: a dynamic charge's amount. */
  readonly amountLocal: number;
}

/**
 * Emits a stack-neutral static charge of `cost` (> 0):
 *
 * ```wat
 * global.get $fuel  local.tee $t  i64.const cost  i64.lt_s
 * if  i64.const -1  global.set $fuel  unreachable  end
 * local.get $t  i64.const cost  i64.sub  global.set $fuel
 * ```
 *
 * The comparison comes first, so the global never wraps and never goes below zero except to the -1 marker.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param cost - fuel of the straight-line block that follows.
 */
export function emitStaticCharge(out: ByteWriter, slots: ChargeSlots, cost: number): void {
  out.byte(0x23); // global.get
  out.u32(slots.fuelGlobal);
  out.byte(0x22); // local.tee
  out.u32(slots.fuelLocal);
  out.byte(0x42); // i64.const
  out.s64(cost);
  out.byte(0x53); // i64.lt_s
  emitExhaustedBranch(out, slots);
  out.byte(0x20); // local.get
  out.u32(slots.fuelLocal);
  out.byte(0x42); // i64.const
  out.s64(cost);
  out.byte(0x7d); // i64.sub
  out.byte(0x24); // global.set
  out.u32(slots.fuelGlobal);
}

/**
 * Emits a charge proportional to the i32 length operand on top of the stack, leaving that operand in place:
 * `amount = units(len) * rate`, then the same check-and-subtract as a static charge.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param kind - which rate applies.
 * @param table - the cost table.
 */
export function emitDynamicCharge(
  out: ByteWriter,
  slots: ChargeSlots,
  kind: Exclude<Dynamic, typeof Dynamic.None>,
  table: CostTable,
): void {
  out.byte(0x22); // local.tee $size
  out.u32(slots.sizeLocal);
  out.byte(0xad); // i64.extend_i32_u
  if (kind === Dynamic.MemoryBytes) {
    const unit = table.bulkMemoryBytesPerFuel;
    if (unit > 1) {
      // ceil(len / unit) with unit a power of two; len < 2^32 so the add cannot overflow
      out.byte(0x42);
      out.s64(unit - 1);
      out.byte(0x7c); // i64.add
      out.byte(0x42);
      out.s64(Math.log2(unit));
      out.byte(0x88); // i64.shr_u
    }
  } else {
    const rate = kind === Dynamic.MemoryPages ? table.memoryGrowPerPage : table.tablePerElement;
    if (rate !== 1) {
      out.byte(0x42);
      out.s64(rate);
      out.byte(0x7e); // i64.mul
    }
  }
  out.byte(0x21); // local.set $amount
  out.u32(slots.amountLocal);
  out.byte(0x23); // global.get $fuel
  out.u32(slots.fuelGlobal);
  out.byte(0x22); // local.tee $t
  out.u32(slots.fuelLocal);
  out.byte(0x20); // local.get $amount
  out.u32(slots.amountLocal);
  out.byte(0x53); // i64.lt_s
  emitExhaustedBranch(out, slots);
  out.byte(0x20); // local.get $t
  out.u32(slots.fuelLocal);
  out.byte(0x20); // local.get $amount
  out.u32(slots.amountLocal);
  out.byte(0x7d); // i64.sub
  out.byte(0x24); // global.set $fuel
  out.u32(slots.fuelGlobal);
  out.byte(0x20); // local.get $size: the operand the bulk instruction consumes
  out.u32(slots.sizeLocal);
}

/**
 * Whether a dynamic charge of this kind costs anything under `table` (a zero rate emits no code).
 * @param kind - the dynamic class.
 * @param table - the cost table.
 * @returns true when code must be emitted.
 */
export function dynamicRateIsPositive(kind: Dynamic, table: CostTable): boolean {
  switch (kind) {
    case Dynamic.MemoryPages:
      return table.memoryGrowPerPage > 0;
    case Dynamic.MemoryBytes:
      return true; // at least one fuel per started chunk
    case Dynamic.TableElements:
      return table.tablePerElement > 0;
    default:
      return false;
  }
}

/** `if (cond) { fuel = -1; unreachable }`: the marker the host reads as "out of fuel". */
function emitExhaustedBranch(out: ByteWriter, slots: ChargeSlots): void {
  out.byte(0x04); // if
  out.byte(0x40); // empty block type
  out.byte(0x42); // i64.const -1
  out.byte(0x7f);
  out.byte(0x24); // global.set $fuel
  out.u32(slots.fuelGlobal);
  out.byte(0x00); // unreachable
  out.byte(0x0b); // end
}
