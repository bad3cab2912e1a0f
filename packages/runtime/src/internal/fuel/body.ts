import { ByteReader, type ByteWriter } from "./bytes.js";
import {
  type ChargeSlots,
  dynamicRateIsPositive,
  emitBlockCharge,
  emitCheck,
  emitDynamicCharge,
  emitRefundingBranch,
  emitReload,
  emitStore,
} from "./charges.js";
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
import { InstructionFlag, type InstructionTable, type LineTable } from "./instructionTable.js";
import { emitPerInstruction } from "./oracle.js";

/**
 * Where charges go. `"block"` (production): per straight-line block, with chains of blocks joined by
 * `br_if` fall-throughs paid by one subtraction. `"instruction"`: a check-and-subtract on the global before
 * every instruction that costs something (see oracle.ts) — trivially exact and slow; the tests use it as
 * the oracle the block placement must agree with.
 */
export type ChargePlacement = "block" | "instruction";

/** What every function body of one module is rewritten with. */
export interface BodyContext {
  readonly table: CostTable;
  readonly fuelGlobal: number;
  readonly placement: ChargePlacement;
  /** Parameter / result counts per type index (block type arities). */
  readonly typeParamCounts: readonly number[];
  readonly typeResultCounts: readonly number[];
  /** Work tables reused from one function to the next. */
  readonly instructions: InstructionTable;
  readonly lines: LineTable;
}

const OP_RETURN = 0x0f;
const OP_BR = 0x0c;
const OP_BR_IF = 0x0d;
const OP_BR_TABLE = 0x0e;
const BLOCK_TYPE_EMPTY = -64; // 0x40 read as s33

/**
 * Rewrites one function body (locals + code, without its size prefix) with fuel charges.
 *
 * A straight-line block ("line") starts at function entry, at a loop body, at each arm of an `if`, after
 * every `end`, and after every `br_if` and call; it ends at the next instruction that can transfer
 * control. Each line is charged its instructions' cost before it runs, so a completed call consumes
 * exactly the cost of what it executed. Lines joined by `br_if` fall-throughs form a chain: the chain's
 * total is subtracted once at its start, each line then only checks that the fuel left covers it, and a
 * taken `br_if` refunds the lines it skipped — the same checks at the same points as charging every line
 * separately, with one subtraction on the loop-carried dependency instead of one per line.
 *
 * The running fuel lives in a local: loaded from the global at entry and after calls, stored to it before
 * calls, returns and the function's end (and -1 on exhaustion). Injected code is stack-neutral; original
 * instructions are copied byte for byte, except a chained `br_if` whose label depth grows by one inside
 * its refunding `if`.
 * @param module - the whole module's bytes.
 * @param start - offset of the body's first byte (the local declarations).
 * @param end - offset one past the body's last byte.
 * @param paramCount - the function's parameter count (scratch locals are numbered after params + locals).
 * @param context - cost table, fuel global index, placement, type arities.
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
  out.byte(0x7f); // 1 × i32: a bulk operation's size operand
  out.byte(0x01);
  out.byte(0x7e); // 1 × i64: the running fuel
  const firstScratch = paramCount + localCount;
  const slots: ChargeSlots = {
    fuelGlobal: context.fuelGlobal,
    sizeLocal: firstScratch,
    fuelLocal: firstScratch + 1,
  };
  const instructions = context.instructions;
  instructions.reset(end - reader.pos);
  decodeBody(reader, end, context, instructions);
  if (context.placement === "instruction") {
    emitPerInstruction(module, instructions, slots, context.table, out);
    return;
  }
  const lines = context.lines;
  splitLines(instructions, lines);
  emitReload(out, slots);
  let i = 0;
  while (i < lines.count) {
    // A chain: lines joined by chainable br_if fall-throughs.
    let j = i;
    while (j + 1 < lines.count && isChainable(instructions, lines.last[j] as number)) j++;
    emitChain(module, instructions, lines, i, j, slots, context.table, out);
    i = j + 1;
  }
}

function isChainable(instructions: InstructionTable, k: number): boolean {
  return ((instructions.flags[k] as number) & InstructionFlag.Chainable) !== 0;
}

function decodeBody(reader: ByteReader, end: number, context: BodyContext, table: InstructionTable): void {
  const costs = [0, 0, 0];
  costs[CostClass.Structural] = context.table.structural;
  costs[CostClass.Call] = context.table.call;
  costs[CostClass.Instruction] = context.table.instruction;
  const decoded: DecodedInstruction = {
    flow: Flow.Plain,
    cost: CostClass.Instruction,
    dynamic: Dynamic.None,
    op: 0,
    label: -1,
    blockType: BLOCK_TYPE_EMPTY,
  };
  // Per open block/loop/if: whether it was entered live (restored at else/end) and its label's arity.
  const enteredLive: boolean[] = [];
  const labelArity: number[] = [];
  let live = true;
  for (;;) {
    const at = reader.pos;
    decodeInstruction(reader, decoded);
    const depth = enteredLive.length; // labels open here; depth == label index of the function itself
    let chainable = false;
    let syncBefore = false;
    let functionEnd = false;
    const wasLive = live;
    switch (decoded.flow) {
      case Flow.Block:
      case Flow.If:
        enteredLive.push(live);
        labelArity.push(blockLabelArity(decoded.blockType, context.typeResultCounts));
        break;
      case Flow.Loop:
        enteredLive.push(live);
        labelArity.push(loopLabelArity(decoded.blockType, context.typeParamCounts));
        break;
      case Flow.Else:
        live = enteredLive.at(-1) ?? false;
        break;
      case Flow.End: {
        const outer = enteredLive.pop();
        labelArity.pop();
        if (outer === undefined) {
          functionEnd = true;
          syncBefore = true;
        } else {
          live = outer;
        }
        break;
      }
      case Flow.Jump:
        live = false;
        // return, return_call*, and br/br_table reaching the function's own label leave the function
        syncBefore =
          decoded.op === OP_RETURN ||
          decoded.cost === CostClass.Call ||
          ((decoded.op === OP_BR || decoded.op === OP_BR_TABLE) && decoded.label >= depth);
        break;
      case Flow.Branch:
        if (decoded.label >= depth) syncBefore = true;
        else chainable = labelArity[depth - 1 - decoded.label] === 0 && decoded.op === OP_BR_IF;
        break;
      case Flow.Call:
        syncBefore = true;
        break;
      default:
        break;
    }
    const k = table.count++;
    table.start[k] = at;
    table.end[k] = reader.pos;
    table.flow[k] = decoded.flow;
    table.cost[k] = costs[decoded.cost] as number;
    table.dynamic[k] = decoded.dynamic;
    table.label[k] = decoded.label;
    table.flags[k] =
      (wasLive ? InstructionFlag.Live : 0) |
      (chainable ? InstructionFlag.Chainable : 0) |
      (syncBefore ? InstructionFlag.SyncBefore : 0);
    if (functionEnd) break;
  }
  if (reader.pos !== end) {
    throw new FuelMeteringError(
      FuelMeteringErrorCode.InvalidModule,
      `malformed module: function body ends at byte ${reader.pos}, its size says ${end}`,
    );
  }
}

/** Arity of a block's or if's label: its results. */
function blockLabelArity(blockType: number, resultCounts: readonly number[]): number {
  if (blockType === BLOCK_TYPE_EMPTY) return 0;
  if (blockType < 0) return 1; // a single value type
  return resultCounts[blockType] ?? 0;
}

/** Arity of a loop's label: its parameters (a branch to a loop restarts it). */
function loopLabelArity(blockType: number, paramCounts: readonly number[]): number {
  return blockType < 0 ? 0 : (paramCounts[blockType] ?? 0);
}

function splitLines(instructions: InstructionTable, lines: LineTable): void {
  lines.reset(instructions.count);
  let first = 0;
  let cost = 0;
  for (let k = 0; k < instructions.count; k++) {
    cost += instructions.cost[k] as number;
    const flow = instructions.flow[k] as Flow;
    if (flow !== Flow.Plain && flow !== Flow.Block) {
      const l = lines.count++;
      lines.first[l] = first;
      lines.last[l] = k;
      lines.cost[l] = cost;
      first = k + 1;
      cost = 0;
    }
  }
}

/**
 * Emits lines [from, to] as one chain: subtract the total at the start, check each line against what is
 * still prepaid, refund on a taken chained `br_if`.
 */
function emitChain(
  module: Uint8Array,
  instructions: InstructionTable,
  lines: LineTable,
  from: number,
  to: number,
  slots: ChargeSlots,
  table: CostTable,
  out: ByteWriter,
): void {
  let total = 0;
  for (let l = from; l <= to; l++) total += lines.cost[l] as number;
  // Every line of a chain shares the liveness of its first (br_if never changes it).
  const live = ((instructions.flags[lines.first[from] as number] as number) & InstructionFlag.Live) !== 0;
  let prepaid = total; // cost of the chain's lines not yet entered, including the current one
  for (let l = from; l <= to; l++) {
    const first = lines.first[l] as number;
    const last = lines.last[l] as number;
    const lineCost = lines.cost[l] as number;
    prepaid -= lineCost; // now: the cost of the lines after this one
    if (!live) {
      out.bytes(module.subarray(instructions.start[first], instructions.end[last]));
      continue;
    }
    if (l === from) {
      if (total > 0) emitBlockCharge(out, slots, total, prepaid);
    } else if (lineCost > 0) {
      emitCheck(out, slots, prepaid);
    }
    let copyFrom = instructions.start[first] as number;
    for (let k = first; k <= last; k++) {
      const dynamic = instructions.dynamic[k] as Dynamic;
      const charged = dynamic !== Dynamic.None && dynamicRateIsPositive(dynamic, table);
      const sync = ((instructions.flags[k] as number) & InstructionFlag.SyncBefore) !== 0;
      const refund = k === last && l < to && prepaid > 0;
      const call = instructions.flow[k] === Flow.Call;
      if (!charged && !sync && !refund && !call) continue;
      const at = instructions.start[k] as number;
      out.bytes(module.subarray(copyFrom, at));
      copyFrom = at;
      if (charged) emitDynamicCharge(out, slots, dynamic as Exclude<Dynamic, 0>, table, prepaid);
      if (sync) emitStore(out, slots);
      if (refund) {
        // chained br_if: taken, it skips the rest of the chain, so it gives back what was prepaid for it
        emitRefundingBranch(out, slots, prepaid, instructions.label[k] as number);
        copyFrom = instructions.end[k] as number;
      } else if (call) {
        out.bytes(module.subarray(at, instructions.end[k]));
        copyFrom = instructions.end[k] as number;
        emitReload(out, slots); // the callee charged the global itself
      }
    }
    out.bytes(module.subarray(copyFrom, instructions.end[last]));
  }
}
