import type { ByteReader } from "./bytes.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";

/** How an instruction affects straight-line blocks (where fuel charges must go). */
export const Flow = {
  /** Falls through to the next instruction. */
  Plain: 0,
  /** `block`: the body continues the current straight line. */
  Block: 1,
  /** `loop`: its body start is a branch target, so a charge goes there. */
  Loop: 2,
  /** `if`: each arm starts a new straight line. */
  If: 3,
  /** `else`: ends the then-arm; the else-arm starts a new straight line. */
  Else: 4,
  /** `end`: the code after it may be reached by branches, so a new straight line starts. */
  End: 5,
  /** `br`, `br_table`, `return`, `unreachable`, `return_call*`: never falls through (the rest is dead). */
  Jump: 6,
  /** `br_if`: may leave; the fall-through path starts a new straight line. */
  Branch: 7,
  /** `call`, `call_indirect`: the callee is charged by itself; the caller's next line is charged on return. */
  Call: 8,
} as const;
export type Flow = (typeof Flow)[keyof typeof Flow];

/** Which {@link CostTable} figure prices an instruction. */
export const CostClass = { Structural: 0, Call: 1, Instruction: 2 } as const;
export type CostClass = (typeof CostClass)[keyof typeof CostClass];

/** Size-proportional part of an instruction's cost, computed from its length operand (the stack top). */
export const Dynamic = {
  None: 0,
  /** `memory.grow`: pages. */
  MemoryPages: 1,
  /** `memory.fill`, `memory.copy`, `memory.init`: bytes. */
  MemoryBytes: 2,
  /** `table.fill`, `table.copy`, `table.init`, `table.grow`: elements. */
  TableElements: 3,
} as const;
export type Dynamic = (typeof Dynamic)[keyof typeof Dynamic];

/** What {@link decodeInstruction} learned about one instruction (reused between calls: no allocation). */
export interface DecodedInstruction {
  flow: Flow;
  cost: CostClass;
  dynamic: Dynamic;
  /** The first opcode byte. */
  op: number;
  /** `br`, `br_if`: the label depth; `br_table`: the largest depth among its labels; else -1. */
  label: number;
  /** `block`, `loop`, `if`: the block type as an s33 (negative: empty or one value type; else a type index). */
  blockType: number;
}

/**
 * Decodes the instruction at `reader.pos`, leaving `reader.pos` just past its immediates, and describes it in
 * `out`. Instructions of proposals whose control flow or costs the transform does not model (exception
 * handling, GC, typed function references) are refused rather than guessed at.
 * @param reader - positioned on an opcode inside a function body.
 * @param out - receives the description.
 * @throws FuelMeteringError `FUEL_UNSUPPORTED_FEATURE` for an unknown or unsupported opcode.
 */
export function decodeInstruction(reader: ByteReader, out: DecodedInstruction): void {
  const at = reader.pos;
  const op = reader.byte();
  out.op = op;
  out.label = -1;
  out.flow = Flow.Plain;
  out.cost = CostClass.Instruction;
  out.dynamic = Dynamic.None;
  if (op >= 0x45 && op <= 0xc4) return; // numeric, conversions, sign extension: no immediates
  switch (op) {
    case 0x00: // unreachable
      out.flow = Flow.Jump;
      out.cost = CostClass.Structural;
      return;
    case 0x01: // nop
    case 0x1a: // drop
      out.cost = CostClass.Structural;
      return;
    case 0x02: // block
      out.blockType = reader.s33();
      refBlockType(reader, out.blockType);
      out.flow = Flow.Block;
      out.cost = CostClass.Structural;
      return;
    case 0x03: // loop
      out.blockType = reader.s33();
      refBlockType(reader, out.blockType);
      out.flow = Flow.Loop;
      out.cost = CostClass.Structural;
      return;
    case 0x04: // if
      out.blockType = reader.s33();
      refBlockType(reader, out.blockType);
      out.flow = Flow.If;
      return;
    case 0x05: // else
      out.flow = Flow.Else;
      out.cost = CostClass.Structural;
      return;
    case 0x0b: // end
      out.flow = Flow.End;
      out.cost = CostClass.Structural;
      return;
    case 0x0c: // br
      out.label = reader.u32();
      out.flow = Flow.Jump;
      return;
    case 0x0d: // br_if
      out.label = reader.u32();
      out.flow = Flow.Branch;
      return;
    case 0x0e: {
      // br_table: a vector of labels plus the default label
      const count = reader.u32();
      for (let i = 0; i <= count; i++) out.label = Math.max(out.label, reader.u32());
      out.flow = Flow.Jump;
      return;
    }
    case 0x0f: // return
      out.flow = Flow.Jump;
      out.cost = CostClass.Structural;
      return;
    case 0x10: // call
      reader.u32();
      out.flow = Flow.Call;
      out.cost = CostClass.Call;
      return;
    case 0x11: // call_indirect type table
      reader.u32();
      reader.u32();
      out.flow = Flow.Call;
      out.cost = CostClass.Call;
      return;
    case 0x12: // return_call
      reader.u32();
      out.flow = Flow.Jump;
      out.cost = CostClass.Call;
      return;
    case 0x13: // return_call_indirect
      reader.u32();
      reader.u32();
      out.flow = Flow.Jump;
      out.cost = CostClass.Call;
      return;
    case 0x1b: // select
    case 0xd1: // ref.is_null
      return;
    case 0x1c: {
      // select with value types
      const count = reader.u32();
      for (let i = 0; i < count; i++) valueType(reader);
      return;
    }
    case 0x20: // local.get
    case 0x21: // local.set
    case 0x22: // local.tee
    case 0x23: // global.get
    case 0x24: // global.set
    case 0x25: // table.get
    case 0x26: // table.set
    case 0x3f: // memory.size
    case 0xd2: // ref.func
      reader.u32();
      return;
    case 0x40: // memory.grow
      reader.u32();
      out.dynamic = Dynamic.MemoryPages;
      return;
    case 0x41: // i32.const
      reader.skipLeb(5);
      return;
    case 0x42: // i64.const
      reader.skipLeb(10);
      return;
    case 0x43: // f32.const
      reader.skip(4);
      return;
    case 0x44: // f64.const
      reader.skip(8);
      return;
    case 0xd0: // ref.null heaptype
      reader.s33();
      return;
    case 0xfc:
      miscInstruction(reader, out, at);
      return;
    case 0xfd:
      simdInstruction(reader, at);
      return;
    case 0xfe:
      atomicInstruction(reader, at);
      return;
    default:
      if (op >= 0x28 && op <= 0x3e) {
        memArg(reader); // loads and stores
        return;
      }
      throw unsupported(`opcode 0x${op.toString(16)}`, at);
  }
}

function miscInstruction(reader: ByteReader, out: DecodedInstruction, at: number): void {
  const sub = reader.u32();
  if (sub <= 7) return; // saturating truncations
  switch (sub) {
    case 8: // memory.init data memory
      reader.u32();
      reader.u32();
      out.dynamic = Dynamic.MemoryBytes;
      return;
    case 10: // memory.copy memory memory
      reader.u32();
      reader.u32();
      out.dynamic = Dynamic.MemoryBytes;
      return;
    case 11: // memory.fill memory
      reader.u32();
      out.dynamic = Dynamic.MemoryBytes;
      return;
    case 12: // table.init elem table
    case 14: // table.copy table table
      reader.u32();
      reader.u32();
      out.dynamic = Dynamic.TableElements;
      return;
    case 15: // table.grow
    case 17: // table.fill
      reader.u32();
      out.dynamic = Dynamic.TableElements;
      return;
    case 9: // data.drop
    case 13: // elem.drop
    case 16: // table.size
      reader.u32();
      return;
    default:
      throw unsupported(`opcode 0xfc ${sub}`, at);
  }
}

function simdInstruction(reader: ByteReader, at: number): void {
  const sub = reader.u32();
  if (sub <= 11 || sub === 92 || sub === 93) {
    memArg(reader); // v128 loads/stores, load32_zero/load64_zero
  } else if (sub === 12 || sub === 13) {
    reader.skip(16); // v128.const, i8x16.shuffle
  } else if (sub >= 21 && sub <= 34) {
    reader.skip(1); // extract/replace lane
  } else if (sub >= 84 && sub <= 91) {
    memArg(reader); // load/store lane
    reader.skip(1);
  } else if (sub >= 0x100 && sub <= 0x113) {
    // Relaxed SIMD results may differ between CPUs by design: no place in a deterministic module.
    throw unsupported(`relaxed SIMD (opcode 0xfd ${sub}), whose results differ between CPUs`, at);
  } else if (sub > 0xff) {
    // Past the final SIMD opcodes: an extension whose immediates we do not know.
    throw unsupported(`opcode 0xfd ${sub}`, at);
  }
}

function atomicInstruction(reader: ByteReader, at: number): void {
  const sub = reader.u32();
  if (sub === 3) {
    reader.skip(1); // atomic.fence
  } else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) {
    memArg(reader);
  } else {
    throw unsupported(`opcode 0xfe ${sub}`, at);
  }
}

/** Alignment flags (bit 6: a memory index follows, multi-memory), optional memory index, offset (≤ 64 bits). */
function memArg(reader: ByteReader): void {
  const flags = reader.u32();
  if ((flags & 0x40) !== 0) reader.u32();
  reader.skipLeb(10);
}

/** A block type that is `(ref null? ht)` has a heap type after it. */
function refBlockType(reader: ByteReader, value: number): void {
  if (value === REF_NULL_S33 || value === REF_S33) reader.s33();
}

/**
 * Skips one value type: a single byte, or `0x63`/`0x64` (`ref null ht` / `ref ht`) followed by a heap type.
 * @param reader - positioned on the type.
 */
export function valueType(reader: ByteReader): void {
  const b = reader.byte();
  if (b === 0x63 || b === 0x64) reader.s33();
}

/** 0x63 and 0x64 read as single-byte s33 numbers. */
const REF_NULL_S33 = 0x63 - 0x80;
const REF_S33 = 0x64 - 0x80;

function unsupported(what: string, offset: number): FuelMeteringError {
  return new FuelMeteringError(
    FuelMeteringErrorCode.UnsupportedFeature,
    `fuel metering does not support ${what} (at byte ${offset})`,
  );
}
