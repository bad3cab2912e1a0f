import { type ChargePlacement, rewriteBody } from "./body.js";
import { ByteReader, ByteWriter } from "./bytes.js";
import type { CostTable } from "./costTable.js";
import { FuelMeteringError, FuelMeteringErrorCode } from "./errors.js";
import { InstructionTable, LineTable } from "./instructionTable.js";
import { ExportKind, encodeExport, rewriteSections } from "./moduleWriter.js";
import { type ModuleFacts, readModuleFacts, type Section, SectionId } from "./sections.js";

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
  const exports = [encodeExport(FUEL_GLOBAL_EXPORT, ExportKind.Global, fuelGlobal)];
  if (facts.startFunction !== undefined) {
    exports.push(encodeExport(FUEL_START_EXPORT, ExportKind.Func, facts.startFunction));
  }
  return rewriteSections(bytes, facts, {
    // `(global (mut i64) (i64.const 0))`: the host sets the budget before calling an export.
    global: Uint8Array.of(0x7e, 0x01, 0x42, 0x00, 0x0b),
    exports,
    section: (section) => {
      if (section.id === SectionId.Start) return null; // becomes the __platform_start export
      if (section.id === SectionId.Code) {
        return rewriteCode(bytes, section, facts, table, fuelGlobal, placement);
      }
      return undefined;
    },
  });
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
