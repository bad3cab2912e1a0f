// The section-by-section rebuild both module rewrites share (fuel metering, the grow guard): each adds one
// global and some exports, and replaces or drops a few sections.
import { ByteReader, ByteWriter } from "./bytes.js";
import {
  EXPORT_RANK,
  GLOBAL_RANK,
  isCodeOffsetCustomSection,
  type ModuleFacts,
  SECTION_RANK,
  type Section,
  SectionId,
} from "./sections.js";

/** Export kinds (the binary format's external kind byte). */
export const ExportKind = { Func: 0x00, Global: 0x03 } as const;

/** What a rewrite adds, and how it treats the module's other sections. */
export interface ModuleRewrite {
  /** One global entry (value type, mutability, init expression) appended to the globals. */
  readonly global: Uint8Array;
  /** Export entries (see {@link encodeExport}) appended to the exports. */
  readonly exports: readonly Uint8Array[];
  /**
   * The new payload of a section other than custom, global and export sections: `undefined` keeps it as
   * it is, `null` drops it.
   */
  readonly section: (section: Section) => Uint8Array | null | undefined;
}

/**
 * Rebuilds `bytes` with `rewrite` applied. A global or export section the module lacks is inserted at its
 * standard place; custom sections that address code by offset are dropped (function bodies change).
 */
export function rewriteSections(
  bytes: Uint8Array,
  facts: ModuleFacts,
  rewrite: ModuleRewrite,
): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter(Math.ceil(bytes.length * 1.5) + 64);
  out.bytes(bytes.subarray(0, 8));
  const writeSection = (id: number, body: Uint8Array): void => {
    out.byte(id);
    out.u32(body.length);
    out.bytes(body);
  };
  const exportEntries = concatAll(rewrite.exports);
  let globalDone = false;
  let exportDone = false;
  const emitMissing = (rank: number): void => {
    if (!globalDone && rank > GLOBAL_RANK) {
      writeSection(SectionId.Global, vector(1, rewrite.global));
      globalDone = true;
    }
    if (!exportDone && rank > EXPORT_RANK) {
      writeSection(SectionId.Export, vector(rewrite.exports.length, exportEntries));
      exportDone = true;
    }
  };
  for (const section of facts.sections) {
    if (section.id === SectionId.Custom) {
      if (!isCodeOffsetCustomSection(bytes, section))
        writeSection(section.id, bytes.subarray(section.start, section.end));
      continue;
    }
    emitMissing(SECTION_RANK.get(section.id) ?? Number.MAX_SAFE_INTEGER);
    if (section.id === SectionId.Global) {
      writeSection(section.id, appendEntries(bytes, section, 1, rewrite.global));
      globalDone = true;
      continue;
    }
    if (section.id === SectionId.Export) {
      writeSection(section.id, appendEntries(bytes, section, rewrite.exports.length, exportEntries));
      exportDone = true;
      continue;
    }
    const replaced = rewrite.section(section);
    if (replaced === null) continue;
    writeSection(section.id, replaced ?? bytes.subarray(section.start, section.end));
  }
  emitMissing(Number.MAX_SAFE_INTEGER);
  return out.toBytes();
}

/** A vector section's payload with `count` more entries (`entries`, already encoded) at its end. */
export function appendEntries(
  bytes: Uint8Array,
  section: Section,
  count: number,
  entries: Uint8Array,
): Uint8Array {
  const r = new ByteReader(bytes, section.start, section.end);
  const existing = r.u32();
  const out = new ByteWriter(section.end - section.start + entries.length + 8);
  out.u32(existing + count);
  out.bytes(bytes.subarray(r.pos, section.end));
  out.bytes(entries);
  return out.toBytes();
}

/** One export entry: name, kind, index. */
export function encodeExport(name: string, kind: number, index: number): Uint8Array {
  const out = new ByteWriter(name.length + 16);
  const encoded = new TextEncoder().encode(name);
  out.u32(encoded.length);
  out.bytes(encoded);
  out.byte(kind);
  out.u32(index);
  return out.toBytes();
}

/** The unsigned LEB128 encoding of `value`. */
export function uleb(value: number): Uint8Array {
  const out = new ByteWriter(5);
  out.u32(value);
  return out.toBytes();
}

function vector(count: number, entries: Uint8Array): Uint8Array {
  const out = new ByteWriter(entries.length + 5);
  out.u32(count);
  out.bytes(entries);
  return out.toBytes();
}

function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new ByteWriter(parts.reduce((n, p) => n + p.length, 0) + 1);
  for (const p of parts) out.bytes(p);
  return out.toBytes();
}
