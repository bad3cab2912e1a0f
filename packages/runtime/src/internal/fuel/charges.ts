import type { ByteWriter } from "./bytes.js";
import type { CostTable } from "./costTable.js";
import { Dynamic } from "./instructions.js";

/** Indices the injected code uses: the fuel global and two scratch locals appended to each function. */
export interface ChargeSlots {
  readonly fuelGlobal: number;
  /** i32: the length operand of a bulk operation, restored after charging. */
  readonly sizeLocal: number;
  /**
   * i64: the running fuel `$f`. Within a chain of lines it is ahead of the true remaining fuel by the cost
   * of the chain's lines not yet entered ("prepaid"); at chain ends, calls and returns it is exact.
   */
  readonly fuelLocal: number;
}

/*
 * Every check below has the form `if ($f < -prepaid) { fuel = -1; unreachable }`: with `prepaid` the cost
 * of the chain's lines after the current one, `$f + prepaid` is the fuel left after paying for the current
 * line, so the check fails exactly when that line cannot be paid for — the same point as a separate
 * check-and-subtract per line would stop at. Values stay far from i64 overflow: the host sets a budget in
 * [0, 2^63), a chain costs < 2^40 and a dynamic amount < 2^61 (cost table limits).
 */

/**
 * Chain start: `$f -= total`, then check the first line.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param total - cost of all lines of the chain.
 * @param prepaid - cost of the chain's lines after the first.
 */
export function emitBlockCharge(out: ByteWriter, slots: ChargeSlots, total: number, prepaid: number): void {
  out.byte(0x20); // local.get $f
  out.u32(slots.fuelLocal);
  out.byte(0x42); // i64.const total
  out.s64(total);
  out.byte(0x7d); // i64.sub
  out.byte(0x22); // local.tee $f
  out.u32(slots.fuelLocal);
  emitBelow(out, slots, prepaid);
}

/**
 * A later line of a chain (entered by a `br_if` fall-through): check it is covered, nothing to subtract.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param prepaid - cost of the chain's lines after this one.
 */
export function emitCheck(out: ByteWriter, slots: ChargeSlots, prepaid: number): void {
  out.byte(0x20); // local.get $f
  out.u32(slots.fuelLocal);
  emitBelow(out, slots, prepaid);
}

/**
 * Replaces a chained `br_if L`: `if  $f += prepaid  br L+1  end` — taken, the branch skips the rest of the
 * chain and gets back what was paid for it; not taken, nothing happens.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param prepaid - cost of the chain's lines after the branch.
 * @param label - the original branch depth.
 */
export function emitRefundingBranch(
  out: ByteWriter,
  slots: ChargeSlots,
  prepaid: number,
  label: number,
): void {
  out.byte(0x04); // if (consumes the br_if condition)
  out.byte(0x40);
  out.byte(0x20); // local.get $f
  out.u32(slots.fuelLocal);
  out.byte(0x42); // i64.const prepaid
  out.s64(prepaid);
  out.byte(0x7c); // i64.add
  out.byte(0x21); // local.set $f
  out.u32(slots.fuelLocal);
  out.byte(0x0c); // br, one deeper: inside the if
  out.u32(label + 1);
  out.byte(0x0b); // end
}

/**
 * Charges in proportion to the i32 length operand on top of the stack, leaving that operand in place:
 * `$f -= units(len) * rate`, then the same check as a line.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 * @param kind - which rate applies.
 * @param table - the cost table.
 * @param prepaid - cost of the chain's lines after the current one.
 */
export function emitDynamicCharge(
  out: ByteWriter,
  slots: ChargeSlots,
  kind: Exclude<Dynamic, typeof Dynamic.None>,
  table: CostTable,
  prepaid: number,
): void {
  out.byte(0x21); // local.set $size
  out.u32(slots.sizeLocal);
  out.byte(0x20); // local.get $f
  out.u32(slots.fuelLocal);
  out.byte(0x20); // local.get $size
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
  out.byte(0x7d); // i64.sub
  out.byte(0x22); // local.tee $f
  out.u32(slots.fuelLocal);
  emitBelow(out, slots, prepaid);
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

/**
 * `global.get $fuel  local.set $f`: at function entry and after every call (the callee, or the host,
 * charged the global).
 * @param out - the function body being written.
 * @param slots - global and local indices.
 */
export function emitReload(out: ByteWriter, slots: ChargeSlots): void {
  out.byte(0x23); // global.get $fuel
  out.u32(slots.fuelGlobal);
  out.byte(0x21); // local.set $f
  out.u32(slots.fuelLocal);
}

/**
 * `local.get $f  global.set $fuel`: before calls, returns and the function's end, where `$f` is exact.
 * @param out - the function body being written.
 * @param slots - global and local indices.
 */
export function emitStore(out: ByteWriter, slots: ChargeSlots): void {
  out.byte(0x20); // local.get $f
  out.u32(slots.fuelLocal);
  out.byte(0x24); // global.set $fuel
  out.u32(slots.fuelGlobal);
}

/** With `$f - …` on the stack: `i64.const -prepaid  i64.lt_s  if  fuel = -1  unreachable  end`. */
function emitBelow(out: ByteWriter, slots: ChargeSlots, prepaid: number): void {
  out.byte(0x42); // i64.const -prepaid
  out.s64(-prepaid);
  out.byte(0x53); // i64.lt_s
  out.byte(0x04); // if
  out.byte(0x40);
  out.byte(0x42); // i64.const -1
  out.byte(0x7f);
  out.byte(0x24); // global.set $fuel
  out.u32(slots.fuelGlobal);
  out.byte(0x00); // unreachable
  out.byte(0x0b); // end
}
