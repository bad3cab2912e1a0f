import type { ByteWriter } from "./bytes.js";
import type { ChargeSlots } from "./charges.js";
import type { CostTable } from "./costTable.js";
import { Dynamic } from "./instructions.js";
import { InstructionFlag, type InstructionTable } from "./instructionTable.js";

/**
 * The per-instruction oracle: before every instruction, a check-and-subtract directly on the global (no
 * running local, no chains, no refunds, no call-boundary syncing). It shares nothing with the block
 * placement but the instruction decoder and the cost table, so agreement between the two on every test
 * input is evidence that the block placement's chains, refunds and syncs are exact. Slow; tests only.
 * @param module - the whole module's bytes.
 * @param instructions - the body's decoded instructions.
 * @param slots - fuel global and scratch locals.
 * @param table - the cost table.
 * @param out - receives the code (after the local declarations).
 */
export function emitPerInstruction(
  module: Uint8Array,
  instructions: InstructionTable,
  slots: ChargeSlots,
  table: CostTable,
  out: ByteWriter,
): void {
  for (let k = 0; k < instructions.count; k++) {
    const live = ((instructions.flags[k] as number) & InstructionFlag.Live) !== 0;
    const dynamic = instructions.dynamic[k] as Dynamic;
    const cost = instructions.cost[k] as number;
    if (live && dynamic !== Dynamic.None) {
      // amount into the i64 scratch local; the i32 length operand is restored afterwards
      out.byte(0x22); // local.tee $size
      out.u32(slots.sizeLocal);
      out.byte(0xad); // i64.extend_i32_u
      if (dynamic === Dynamic.MemoryBytes) {
        out.byte(0x42);
        out.s64(table.bulkMemoryBytesPerFuel - 1);
        out.byte(0x7c); // i64.add
        out.byte(0x42);
        out.s64(table.bulkMemoryBytesPerFuel);
        out.byte(0x80); // i64.div_u (the oracle divides; production shifts)
      } else {
        out.byte(0x42);
        out.s64(dynamic === Dynamic.MemoryPages ? table.memoryGrowPerPage : table.tablePerElement);
        out.byte(0x7e); // i64.mul
      }
      out.byte(0x21); // local.set $amount (the fuel local is free here: the oracle never uses it)
      out.u32(slots.fuelLocal);
      chargeGlobal(out, slots, () => {
        out.byte(0x20);
        out.u32(slots.fuelLocal);
      });
      out.byte(0x20); // local.get $size: the operand the bulk instruction consumes
      out.u32(slots.sizeLocal);
    }
    if (live && cost > 0) {
      chargeGlobal(out, slots, () => {
        out.byte(0x42);
        out.s64(cost);
      });
    }
    out.bytes(module.subarray(instructions.start[k], instructions.end[k]));
  }
}

/** `if (fuel < amount) { fuel = -1; unreachable }  fuel -= amount`, all on the global. */
function chargeGlobal(out: ByteWriter, slots: ChargeSlots, pushAmount: () => void): void {
  out.byte(0x23); // global.get $fuel
  out.u32(slots.fuelGlobal);
  pushAmount();
  out.byte(0x53); // i64.lt_s
  out.byte(0x04);
  out.byte(0x40);
  out.byte(0x42);
  out.byte(0x7f); // i64.const -1
  out.byte(0x24);
  out.u32(slots.fuelGlobal);
  out.byte(0x00);
  out.byte(0x0b);
  out.byte(0x23); // global.get $fuel
  out.u32(slots.fuelGlobal);
  pushAmount();
  out.byte(0x7d); // i64.sub
  out.byte(0x24); // global.set $fuel
  out.u32(slots.fuelGlobal);
}
