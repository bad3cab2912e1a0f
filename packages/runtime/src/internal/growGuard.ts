// Makes a refused `memory.grow` observable to the host. The memory cap is enforced by the rewritten memory
// maximum, so a grow past it returns -1 inside the guest and nothing reaches JavaScript; what the host sees
// later is only a trap (`unreachable` from an allocator that gave up) that tells nothing about memory. This
// transform routes every `memory.grow` through one added function that does the same grow and, when it
// returns -1, sets an added exported global. After a trap the worker reads the global: set means the guest
// ran into the memory cap, whatever the size of the allocation that failed.
//
// The guest's behaviour is unchanged: the added function has the same stack effect as `memory.grow` and
// returns its result, so a guest that handles a refused grow keeps doing so. Indices stay valid: the
// function, its type and the global are appended after every existing one. Runs after fuel metering, so
// metered fuel is exactly what it was (the added function is not metered: it does one grow and a compare).
import { ByteReader, ByteWriter } from "./fuel/bytes.js";
import { type DecodedInstruction, decodeInstruction, valueType } from "./fuel/instructions.js";
import { appendEntries, ExportKind, encodeExport, rewriteSections, uleb } from "./fuel/moduleWriter.js";
import { type ModuleFacts, readModuleFacts, type Section, SectionId } from "./fuel/sections.js";

/** Export of the added global: 1 once a `memory.grow` was refused, else 0. */
export const GROW_REFUSED_EXPORT = "__platform_grow_refused";

const OP_MEMORY_GROW = 0x40;
const OP_CALL = 0x10;

/**
 * Adds the grow guard to a module that `WebAssembly.validate` accepted.
 * @returns the guarded module, or `undefined` when there is nothing to guard (no `memory.grow`), when the
 *   module uses a feature the instruction decoder does not know, or when the export name is taken — the
 *   caller then compiles the module as it is.
 */
export function guardMemoryGrow(bytes: Uint8Array): Uint8Array | undefined {
  let facts: ModuleFacts;
  let grows: GrowSite[];
  try {
    facts = readModuleFacts(bytes);
    if (facts.exportNames.includes(GROW_REFUSED_EXPORT)) return undefined;
    grows = findGrows(bytes, facts);
  } catch {
    return undefined; // a feature the decoder refuses: no guard, the trap classification falls back
  }
  if (grows.length === 0) return undefined;
  const typeIndex = facts.typeParamCounts.length;
  const hookIndex = facts.importedFunctionCount + facts.functionTypes.length;
  const flagIndex = facts.importedGlobalCount + facts.definedGlobalCount;
  return rewriteSections(bytes, facts, {
    // `(global (mut i32) (i32.const 0))`.
    global: Uint8Array.of(0x7f, 0x01, 0x41, 0x00, 0x0b),
    exports: [encodeExport(GROW_REFUSED_EXPORT, ExportKind.Global, flagIndex)],
    section: (section) => {
      switch (section.id) {
        case SectionId.Type: // (func (param i32) (result i32)), appended
          return appendEntries(bytes, section, 1, Uint8Array.of(0x60, 0x01, 0x7f, 0x01, 0x7f));
        case SectionId.Function:
          return appendEntries(bytes, section, 1, uleb(typeIndex));
        case SectionId.Code:
          return rewriteCode(bytes, section, grows, hookIndex, flagIndex);
        default:
          return undefined;
      }
    },
  });
}

/** One `memory.grow` instruction: where its bytes (opcode and memory index) lie in the module. */
interface GrowSite {
  readonly start: number;
  readonly end: number;
}

/** Every `memory.grow` in the code section, in order. */
function findGrows(bytes: Uint8Array, facts: ModuleFacts): GrowSite[] {
  const code = facts.sections.find((s) => s.id === SectionId.Code);
  if (code === undefined) return [];
  const sites: GrowSite[] = [];
  const decoded: DecodedInstruction = { flow: 0, cost: 0, dynamic: 0, op: 0, label: -1, blockType: -64 };
  const r = new ByteReader(bytes, code.start, code.end);
  const count = r.u32();
  for (let f = 0; f < count; f++) {
    const size = r.u32();
    const body = new ByteReader(bytes, r.pos, r.pos + size);
    r.skip(size);
    const entries = body.u32();
    for (let i = 0; i < entries; i++) {
      body.u32();
      valueType(body);
    }
    while (!body.atEnd) {
      const at = body.pos;
      decodeInstruction(body, decoded);
      if (decoded.op === OP_MEMORY_GROW) sites.push({ start: at, end: body.pos });
    }
  }
  return sites;
}

/** The code section with every grow site replaced by a call of the hook, and the hook's body appended. */
function rewriteCode(
  bytes: Uint8Array,
  section: Section,
  grows: readonly GrowSite[],
  hookIndex: number,
  flagIndex: number,
): Uint8Array {
  const call = Uint8Array.of(OP_CALL, ...uleb(hookIndex));
  const r = new ByteReader(bytes, section.start, section.end);
  const count = r.u32();
  const out = new ByteWriter(section.end - section.start + grows.length * 4 + 64);
  out.u32(count + 1);
  const body = new ByteWriter(1024);
  let site = 0;
  for (let f = 0; f < count; f++) {
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    r.skip(size);
    body.reset();
    let copied = start;
    while (site < grows.length && grows[site]!.start < end) {
      const g = grows[site++]!;
      body.bytes(bytes.subarray(copied, g.start));
      body.bytes(call);
      copied = g.end;
    }
    body.bytes(bytes.subarray(copied, end));
    out.u32(body.length);
    out.bytes(body.view());
  }
  const hook = hookBody(flagIndex);
  out.u32(hook.length);
  out.bytes(hook);
  return out.toBytes();
}

/**
 * `(func (param $pages i32) (result i32) (local $r i32)
 *    (local.tee $r (memory.grow (local.get $pages)))
 *    (if (i32.eq (i32.const -1)) (then (global.set $flag (i32.const 1))))
 *    (local.get $r))`
 */
function hookBody(flagIndex: number): Uint8Array {
  return Uint8Array.of(
    0x01,
    0x01,
    0x7f, // one local: i32
    0x20,
    0x00, // local.get 0
    0x40,
    0x00, // memory.grow 0
    0x22,
    0x01, // local.tee 1
    0x41,
    0x7f, // i32.const -1
    0x46, // i32.eq
    0x04,
    0x40, // if (empty)
    0x41,
    0x01, // i32.const 1
    0x24,
    ...uleb(flagIndex), // global.set
    0x0b, // end
    0x20,
    0x01, // local.get 1
    0x0b, // end
  );
}
