// Binary rewrite applied before compilation: the memory cap, so `memory.grow` past it fails inside the
// guest whatever the guest declares (defined or imported memory alike), and the same for table sizes.
import { RuntimeError, RuntimeErrorCode } from "../errors.js";
import {
  concat,
  type Edit,
  encodeUleb,
  type MemoryLimits,
  type ParsedModule,
  rewriteSection,
  type SectionInfo,
} from "./wasmBinary.js";

/** WebAssembly page size. */
export const PAGE_BYTES = 65536;

/**
 * Table elements a module may have across all its tables (initial and grown). Tables live on the worker's
 * JavaScript heap, not in the capped linear memory; a single huge `table.grow` can exhaust the process
 * before the worker's heap limit reacts, so the maximum is rewritten like the memory's.
 */
export const TABLE_ELEMENTS_BUDGET = 1_000_000;

/** The single memory of a module after checks: where it comes from and its limits after the rewrite. */
export interface MemoryPlan {
  /** `undefined` when the memory is defined by the module; else the import it comes through. */
  readonly imported: { readonly module: string; readonly name: string } | undefined;
  readonly initialPages: number;
  readonly maximumPages: number;
}

/**
 * Refuses what the memory cap cannot hold: shared, 64-bit or several memories.
 * @returns the module's memory (or `undefined` if it has none).
 */
export function checkMemories(
  parsed: ParsedModule,
): { limits: MemoryLimits; imported?: { module: string; name: string } } | undefined {
  const all: { limits: MemoryLimits; imported?: { module: string; name: string } }[] = [];
  for (const imp of parsed.imports) {
    if (imp.kind === "memory" && imp.limits)
      all.push({ limits: imp.limits, imported: { module: imp.module, name: imp.name } });
  }
  for (const limits of parsed.memories) all.push({ limits });
  if (all.length > 1) {
    throw new RuntimeError(
      RuntimeErrorCode.MODULE_UNSUPPORTED,
      `module has ${all.length} memories; only one memory is supported (the memory cap could not hold)`,
    );
  }
  const only = all[0];
  if (only === undefined) return undefined;
  if (only.limits.shared) {
    throw new RuntimeError(
      RuntimeErrorCode.MODULE_UNSUPPORTED,
      "module uses a shared memory; shared memories are refused",
    );
  }
  if (only.limits.is64) {
    throw new RuntimeError(
      RuntimeErrorCode.MODULE_UNSUPPORTED,
      "module uses a 64-bit memory (memory64); it is refused",
    );
  }
  return only;
}

/** Result of {@link applyRewrites}. */
export interface RewriteResult {
  readonly bytes: Uint8Array;
  readonly memory: MemoryPlan | undefined;
}

/**
 * Caps the memory maximum at `capPages`: max = min(declared max, cap); no declared max → cap.
 * @throws RuntimeError `MODULE_UNSUPPORTED`, or `MEMORY_LIMIT` when the initial memory exceeds the cap.
 */
export function applyRewrites(bytes: Uint8Array, parsed: ParsedModule, capPages: number): RewriteResult {
  const mem = checkMemories(parsed);
  const bySection = new Map<SectionInfo, Edit[]>();
  const edit = (section: SectionInfo, e: Edit): void => {
    const list = bySection.get(section) ?? [];
    list.push(e);
    bySection.set(section, list);
  };
  if (parsed.gcTypes) {
    // GC objects live on the worker's heap, outside every cap, and one huge `array.new` can take the
    // whole process down before the worker's heap limit reacts.
    throw new RuntimeError(
      RuntimeErrorCode.MODULE_UNSUPPORTED,
      "module uses GC-proposal types (struct/array); they are refused",
    );
  }
  const tables = [
    ...parsed.imports.flatMap((i) => (i.kind === "table" && i.limits ? [i.limits] : [])),
    ...parsed.tables,
  ];
  if (tables.length > 0) {
    const perTable = Math.floor(TABLE_ELEMENTS_BUDGET / tables.length);
    for (const limits of tables) {
      if (limits.is64)
        throw new RuntimeError(
          RuntimeErrorCode.MODULE_UNSUPPORTED,
          "module uses a 64-bit table; it is refused",
        );
      if (limits.min > BigInt(perTable)) {
        throw new RuntimeError(
          RuntimeErrorCode.MEMORY_LIMIT,
          `a table needs ${limits.min} initial elements but the cap is ${perTable} per table (${TABLE_ELEMENTS_BUDGET} across ${tables.length} tables)`,
        );
      }
      const max = limits.max === undefined || limits.max > BigInt(perTable) ? perTable : Number(limits.max);
      edit(sectionOf(parsed, limits), {
        start: limits.start,
        end: limits.end,
        with: concat([
          Uint8Array.of(limits.flags | 0x01),
          bytes.subarray(limits.start + 1, limits.minEnd),
          encodeUleb(max),
        ]),
      });
    }
  }
  let memory: MemoryPlan | undefined;
  if (mem !== undefined) {
    const { limits } = mem;
    if (limits.min > BigInt(capPages)) {
      throw new RuntimeError(
        RuntimeErrorCode.MEMORY_LIMIT,
        `module needs ${limits.min} initial memory pages but the cap is ${capPages} pages (${capPages * PAGE_BYTES} bytes)`,
      );
    }
    const maximumPages =
      limits.max === undefined || limits.max > BigInt(capPages) ? capPages : Number(limits.max);
    memory = { imported: mem.imported, initialPages: Number(limits.min), maximumPages };
    edit(sectionOf(parsed, limits), {
      start: limits.start,
      end: limits.end,
      with: concat([
        Uint8Array.of(limits.flags | 0x01),
        bytes.subarray(limits.start + 1, limits.minEnd),
        encodeUleb(maximumPages),
      ]),
    });
  }
  if (bySection.size === 0) return { bytes, memory };
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of parsed.sections) {
    const edits = bySection.get(section);
    parts.push(
      edits === undefined
        ? bytes.subarray(section.start, section.end)
        : rewriteSection(bytes, section, edits),
    );
  }
  return { bytes: concat(parts), memory };
}

function sectionOf(parsed: ParsedModule, limits: MemoryLimits): SectionInfo {
  const section = parsed.sections.find((s) => s.contentStart <= limits.start && limits.end <= s.end);
  if (section === undefined)
    throw new RuntimeError(RuntimeErrorCode.MODULE_COMPILE_FAILED, "limits outside any section");
  return section;
}
