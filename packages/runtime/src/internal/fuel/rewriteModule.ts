import { type ChargePlacement, rewriteBody } from "./body.js";
import { ByteReader, ByteWriter } from "./bytes.js";
import type { CostTable } from "./costTable.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";
import { InstructionTable, LineTable } from "./instructionTable.js";
import {
  EXPORT_RANK,
  GLOBAL_RANK,
  isCodeOffsetCustomSection,
  type ModuleFacts,
  readModuleFacts,
  SECTION_RANK,
  type Section,
  SectionId,
} from "./sections.js";

/** Export holding the remaining fuel (a mutable i64 global). */
export const FUEL_GLOBAL_EXPORT = "__platform_fuel";
/** Export a former start function is renamed to; the host calls it once after setting the fuel. */
export const FUEL_START_EXPORT = "__platform_start";

/**
 * Rewrites a validated module with fuel metering (see meter.ts for the contract).
 * @param bytes - the module; validated by the caller.
 * @param table - a checked cost table.
 * @param placement - charge placement (`"block"` in production).
 * @returns the metered module's bytes (not yet validated).
 */
export function rewriteModule(
  bytes: Uint8Array,
  table: CostTable,
  placement: ChargePlacement,
): Uint8Array<ArrayBuffer> {
  const facts = readModuleFacts(bytes);
  for (const name of [FUEL_GLOBAL_EXPORT, FUEL_START_EXPORT]) {
    if (facts.exportNames.includes(name)) {
      throw new FuelMeteringError(
        FuelMeteringErrorCode.ReservedExport,
        `the module exports "${name}", a name fuel metering reserves`,
      );
    }
  }
  const fuelGlobal = facts.importedGlobalCount + facts.definedGlobalCount;
  const out = new ByteWriter(Math.ceil(bytes.length * 1.5) + 64);
  out.bytes(bytes.subarray(0, 8));
  let globalDone = false;
  let exportDone = false;
  const payload = new ByteWriter(256);
  const writeSection = (id: number, body: Uint8Array): void => {
    out.byte(id);
    out.u32(body.length);
    out.bytes(body);
  };
  const emitMissing = (rank: number): void => {
    if (!globalDone && rank > GLOBAL_RANK) {
      payload.reset();
      payload.u32(1);
      writeFuelGlobal(payload);
      writeSection(SectionId.Global, payload.view());
      globalDone = true;
    }
    if (!exportDone && rank > EXPORT_RANK) {
      payload.reset();
      writeAddedExports(payload, 0, facts, fuelGlobal);
      writeSection(SectionId.Export, payload.view());
      exportDone = true;
    }
  };
  for (const section of facts.sections) {
    const raw = bytes.subarray(section.start, section.end);
    if (section.id === SectionId.Custom) {
      if (!isCodeOffsetCustomSection(bytes, section)) writeSection(section.id, raw);
      continue;
    }
    emitMissing(SECTION_RANK.get(section.id) ?? Number.MAX_SAFE_INTEGER);
    switch (section.id) {
      case SectionId.Global: {
        const r = new ByteReader(bytes, section.start, section.end);
        const count = r.u32();
        payload.reset();
        payload.u32(count + 1);
        payload.bytes(bytes.subarray(r.pos, section.end));
        writeFuelGlobal(payload);
        writeSection(section.id, payload.view());
        globalDone = true;
        break;
      }
      case SectionId.Export: {
        const r = new ByteReader(bytes, section.start, section.end);
        const count = r.u32();
        payload.reset();
        writeAddedExports(payload, count, facts, fuelGlobal, bytes.subarray(r.pos, section.end));
        writeSection(section.id, payload.view());
        exportDone = true;
        break;
      }
      case SectionId.Start:
        break; // becomes the __platform_start export
      case SectionId.Code:
        writeSection(section.id, rewriteCode(bytes, section, facts, table, fuelGlobal, placement));
        break;
      default:
        writeSection(section.id, raw);
    }
  }
  emitMissing(Number.MAX_SAFE_INTEGER);
  return out.toBytes();
}

function rewriteCode(
  bytes: Uint8Array,
  section: Section,
  facts: ModuleFacts,
  table: CostTable,
  fuelGlobal: number,
  placement: ChargePlacement,
): Uint8Array {
  const r = new ByteReader(bytes, section.start, section.end);
  const count = r.u32();
  if (count !== facts.functionTypes.length) {
    throw new FuelMeteringError(FuelMeteringErrorCode.InvalidModule, "code and function sections disagree");
  }
  const out = new ByteWriter(Math.ceil((section.end - section.start) * 1.6) + 16);
  out.u32(count);
  const body = new ByteWriter(1024);
  const context = {
    table,
    fuelGlobal,
    placement,
    typeParamCounts: facts.typeParamCounts,
    typeResultCounts: facts.typeResultCounts,
    instructions: new InstructionTable(),
    lines: new LineTable(),
  };
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    const typeIndex = facts.functionTypes[i] ?? -1;
    const params = facts.typeParamCounts[typeIndex];
    if (params === undefined) {
      throw new FuelMeteringError(FuelMeteringErrorCode.InvalidModule, `function ${i} has an unknown type`);
    }
    body.reset();
    rewriteBody(bytes, start, r.pos, params, context, body);
    out.u32(body.length);
    out.bytes(body.view());
  }
  return out.toBytes();
}

/** `(global (mut i64) (i64.const 0))`: the host sets the budget before calling an export. */
function writeFuelGlobal(out: ByteWriter): void {
  out.bytes(Uint8Array.of(0x7e, 0x01, 0x42, 0x00, 0x0b));
}

function writeAddedExports(
  out: ByteWriter,
  existing: number,
  facts: ModuleFacts,
  fuelGlobal: number,
  existingEntries?: Uint8Array,
): void {
  const start = facts.startFunction;
  out.u32(existing + (start === undefined ? 1 : 2));
  if (existingEntries !== undefined) out.bytes(existingEntries);
  writeExport(out, FUEL_GLOBAL_EXPORT, 0x03, fuelGlobal);
  if (start !== undefined) writeExport(out, FUEL_START_EXPORT, 0x00, start);
}

function writeExport(out: ByteWriter, name: string, kind: number, index: number): void {
  const encoded = new TextEncoder().encode(name);
  out.u32(encoded.length);
  out.bytes(encoded);
  out.byte(kind);
  out.u32(index);
}
