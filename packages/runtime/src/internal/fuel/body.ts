import { ByteReader, ByteWriter } from "./bytes.js";
import { type ChargeSlots, dynamicRateIsPositive, emitDynamicCharge, emitStaticCharge } from "./charges.js";
import type { CostTable } from "./costTable.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";
import {
  CostClass,
  type DecodedInstruction,
  Dynamic,
  decodeInstruction,
  Flow,
  valueType,
} from "./instructions.js";

/**
 * Where charges go. `"block"` (production): one charge per straight-line block. `"instruction"`: one charge
 * before every instruction that costs something — trivially exact and slow; the tests use it as the oracle
 * the block placement must agree with.
 */
export type ChargePlacement = "block" | "instruction";

/** What every function body of one module is rewritten with. */
export interface BodyContext {
  readonly table: CostTable;
  readonly fuelGlobal: number;
  readonly placement: ChargePlacement;
}

/**
 * Rewrites one function body (locals + code, without its size prefix) with fuel charges.
 *
 * A straight-line block starts at function entry, at a loop body, at each arm of an `if`, after every
 * `end`, and after every `br_if` and call; it ends at the next instruction that can transfer control. The
 * charge for all of a block's instructions is placed at its start, so a completed call consumes exactly
 * the sum of the costs of the instructions it executed. Code after an unconditional transfer is dead and
 * gets no charges. Injected code is stack-neutral, so it is valid at any of these points; original
 * instructions are copied byte for byte.
 * @param module - the whole module's bytes.
 * @param start - offset of the body's first byte (the local declarations).
 * @param end - offset one past the body's last byte.
 * @param paramCount - the function's parameter count (scratch locals are numbered after params + locals).
 * @param context - cost table, fuel global index, placement.
 * @param out - receives the rewritten body.
 */
export function rewriteBody(
  module: Uint8Array,
  start: number,
  end: number,
  paramCount: number,
  context: BodyContext,
  out: ByteWriter,
): void {
  const reader = new ByteReader(module, start, end);
  const entryCount = reader.u32();
  const entriesStart = reader.pos;
  let localCount = 0;
  for (let i = 0; i < entryCount; i++) {
    localCount += reader.u32();
    valueType(reader);
  }
  // Scratch locals go after every existing local, so no original index changes.
  out.u32(entryCount + 2);
  out.bytes(module.subarray(entriesStart, reader.pos));
  out.byte(0x01);
  out.byte(0x7f); // 1 × i32: size operand
  out.byte(0x02);
  out.byte(0x7e); // 2 × i64: fuel, amount
  const firstScratch = paramCount + localCount;
  const slots: ChargeSlots = {
    fuelGlobal: context.fuelGlobal,
    sizeLocal: firstScratch,
    fuelLocal: firstScratch + 1,
    amountLocal: firstScratch + 2,
  };
  const { table } = context;
  const costs = [0, 0, 0];
  costs[CostClass.Structural] = table.structural;
  costs[CostClass.Call] = table.call;
  costs[CostClass.Instruction] = table.instruction;
  const everyInstruction = context.placement === "instruction";

  const instruction: DecodedInstruction = {
    flow: Flow.Plain,
    cost: CostClass.Instruction,
    dynamic: Dynamic.None,
  };
  // Per open block/loop/if: whether it was entered on a live path (restored at its else/end).
  const enteredLive: boolean[] = [];
  const pending = new ByteWriter(256); // the current straight-line block, written once its cost is known
  let live = true;
  let blockLive = true;
  let blockCost = 0;
  let copyFrom = reader.pos;
  for (;;) {
    const at = reader.pos;
    decodeInstruction(reader, instruction);
    if (instruction.dynamic !== Dynamic.None && live && dynamicRateIsPositive(instruction.dynamic, table)) {
      pending.bytes(module.subarray(copyFrom, at));
      emitDynamicCharge(pending, slots, instruction.dynamic, table);
      copyFrom = at;
    }
    blockCost += costs[instruction.cost]!;
    let ends = everyInstruction;
    let functionEnd = false;
    switch (instruction.flow) {
      case Flow.Block:
        enteredLive.push(live);
        break;
      case Flow.Loop:
      case Flow.If:
        enteredLive.push(live);
        ends = true;
        break;
      case Flow.Else:
        live = enteredLive.at(-1) ?? false;
        ends = true;
        break;
      case Flow.End: {
        const outer = enteredLive.pop();
        if (outer === undefined) functionEnd = true;
        else live = outer;
        ends = true;
        break;
      }
      case Flow.Jump:
        live = false;
        ends = true;
        break;
      case Flow.Branch:
      case Flow.Call:
        ends = true;
        break;
      default:
        break;
    }
    if (ends) {
      pending.bytes(module.subarray(copyFrom, reader.pos));
      copyFrom = reader.pos;
      if (blockLive && blockCost > 0) emitStaticCharge(out, slots, blockCost);
      out.bytes(pending.view());
      pending.reset();
      blockCost = 0;
      blockLive = live;
    }
    if (functionEnd) break;
  }
  if (reader.pos !== end) {
    throw new FuelMeteringError(
      FuelMeteringErrorCode.InvalidModule,
      `malformed module: function body ends at byte ${reader.pos}, its size says ${end}`,
    );
  }
}
