import { ByteReader } from "./bytes.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";
import { valueType } from "./instructions.js";

/** Section ids the transform reads or writes. */
export const SectionId = {
  Custom: 0,
  Type: 1,
  Import: 2,
  Function: 3,
  Table: 4,
  Memory: 5,
  Global: 6,
  Export: 7,
  Start: 8,
  Element: 9,
  Code: 10,
  Data: 11,
  DataCount: 12,
  Tag: 13,
} as const;

/** Standard section order: a rewrite inserts a section it adds (global, export) where this puts it. */
export const SECTION_RANK: ReadonlyMap<number, number> = new Map<number, number>(
  [
    SectionId.Type,
    SectionId.Import,
    SectionId.Function,
    SectionId.Table,
    SectionId.Memory,
    SectionId.Tag,
    SectionId.Global,
    SectionId.Export,
    SectionId.Start,
    SectionId.Element,
    SectionId.DataCount,
    SectionId.Code,
    SectionId.Data,
  ].map((id, rank) => [id, rank]),
);
/** Rank of the global section in {@link SECTION_RANK}. */
export const GLOBAL_RANK = SECTION_RANK.get(SectionId.Global) ?? 0;
/** Rank of the export section in {@link SECTION_RANK}. */
export const EXPORT_RANK = SECTION_RANK.get(SectionId.Export) ?? 0;

/** One section: its id and where its payload lies in the module. */
export interface Section {
  readonly id: number;
  /** Offset of the payload (after the id and size). */
  readonly start: number;
  /** Offset one past the payload. */
  readonly end: number;
}

/** What the transform needs to know about a module before rewriting it. */
export interface ModuleFacts {
  readonly sections: readonly Section[];
  /** Parameter count of each type index (function types only). */
  readonly typeParamCounts: readonly number[];
  /** Result count of each type index. */
  readonly typeResultCounts: readonly number[];
  readonly importedFunctionCount: number;
  readonly importedGlobalCount: number;
  /** Type index of each function defined in the module. */
  readonly functionTypes: readonly number[];
  readonly definedGlobalCount: number;
  /** Names of the module's exports. */
  readonly exportNames: readonly string[];
  /** The start function's index, when the module has a start section. */
  readonly startFunction: number | undefined;
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * Splits a module into sections and collects the facts the rewrite needs. Features whose cost or control
 * flow the transform does not model are refused here: exception tags, GC types, 64-bit memories/tables,
 * custom page sizes and table initialiser expressions.
 * @param bytes - a module that `WebAssembly.validate` accepted.
 * @returns the module's sections and facts.
 * @throws FuelMeteringError `FUEL_INVALID_MODULE` or `FUEL_UNSUPPORTED_FEATURE`.
 */
export function readModuleFacts(bytes: Uint8Array): ModuleFacts {
  for (let i = 0; i < MAGIC_AND_VERSION.length; i++) {
    if (bytes[i] !== MAGIC_AND_VERSION[i]) {
      throw new FuelMeteringError(FuelMeteringErrorCode.InvalidModule, "not a WebAssembly 1.0 binary module");
    }
  }
  const sections: Section[] = [];
  const typeParamCounts: number[] = [];
  const typeResultCounts: number[] = [];
  const functionTypes: number[] = [];
  const exportNames: string[] = [];
  let importedFunctionCount = 0;
  let importedGlobalCount = 0;
  let definedGlobalCount = 0;
  let startFunction: number | undefined;
  const top = new ByteReader(bytes, MAGIC_AND_VERSION.length);
  while (!top.atEnd) {
    const id = top.byte();
    const size = top.u32();
    const start = top.pos;
    top.skip(size);
    sections.push({ id, start, end: top.pos });
    const r = new ByteReader(bytes, start, top.pos);
    switch (id) {
      case SectionId.Type: {
        const count = r.u32();
        for (let i = 0; i < count; i++) {
          const form = r.byte();
          if (form !== 0x60) throw unsupported(`GC type definitions (type form 0x${form.toString(16)})`);
          const params = r.u32();
          for (let p = 0; p < params; p++) valueType(r);
          const results = r.u32();
          for (let p = 0; p < results; p++) valueType(r);
          typeParamCounts.push(params);
          typeResultCounts.push(results);
        }
        break;
      }
      case SectionId.Import: {
        const count = r.u32();
        for (let i = 0; i < count; i++) {
          r.skip(r.u32()); // module name
          r.skip(r.u32()); // field name
          const kind = r.byte();
          if (kind === 0) {
            r.u32();
            importedFunctionCount++;
          } else if (kind === 1) {
            valueType(r);
            limits(r, "table");
          } else if (kind === 2) {
            limits(r, "memory");
          } else if (kind === 3) {
            valueType(r);
            r.byte();
            importedGlobalCount++;
          } else {
            throw unsupported(`import kind ${kind} (exception tags)`);
          }
        }
        break;
      }
      case SectionId.Function: {
        const count = r.u32();
        for (let i = 0; i < count; i++) functionTypes.push(r.u32());
        break;
      }
      case SectionId.Table: {
        const count = r.u32();
        for (let i = 0; i < count; i++) {
          if (bytes[r.pos] === 0x40) throw unsupported("tables with initialiser expressions");
          valueType(r);
          limits(r, "table");
        }
        break;
      }
      case SectionId.Memory: {
        const count = r.u32();
        for (let i = 0; i < count; i++) limits(r, "memory");
        break;
      }
      case SectionId.Global:
        definedGlobalCount = r.u32();
        break;
      case SectionId.Export: {
        const count = r.u32();
        const decoder = new TextDecoder("utf-8", { fatal: false });
        for (let i = 0; i < count; i++) {
          const length = r.u32();
          const nameStart = r.pos;
          r.skip(length);
          exportNames.push(decoder.decode(bytes.subarray(nameStart, r.pos)));
          r.byte();
          r.u32();
        }
        break;
      }
      case SectionId.Start:
        startFunction = r.u32();
        break;
      case SectionId.Tag:
        throw unsupported("exception handling (tag section)");
      default:
        break;
    }
  }
  return {
    sections,
    typeParamCounts,
    typeResultCounts,
    importedFunctionCount,
    importedGlobalCount,
    functionTypes,
    definedGlobalCount,
    exportNames,
    startFunction,
  };
}

/** Limits: flags, min, optional max. Only 32-bit, unshared-or-shared, default-page-size forms are metered. */
function limits(r: ByteReader, what: string): void {
  const flags = r.byte();
  if ((flags & 0x04) !== 0) throw unsupported(`64-bit ${what}s`);
  if ((flags & ~0x03) !== 0) throw unsupported(`${what} limits flags 0x${flags.toString(16)}`);
  r.u32();
  if ((flags & 0x01) !== 0) r.u32();
}

function unsupported(what: string): FuelMeteringError {
  return new FuelMeteringError(
    FuelMeteringErrorCode.UnsupportedFeature,
    `fuel metering does not support ${what}`,
  );
}

/** Custom sections that address code by byte offset: stale after rewriting, so they are dropped. */
const CODE_OFFSET_CUSTOM_PREFIX = "metadata.code.";

/** True for a custom section that addresses code by byte offset (stale once function bodies change). */
export function isCodeOffsetCustomSection(bytes: Uint8Array, section: Section): boolean {
  const r = new ByteReader(bytes, section.start, section.end);
  const length = r.u32();
  const nameStart = r.pos;
  r.skip(length);
  const name = new TextDecoder().decode(bytes.subarray(nameStart, r.pos));
  return name.startsWith(CODE_OFFSET_CUSTOM_PREFIX);
}
