// Compilation pipeline: parse → (meter) → cap memory / move start → engine compile. Produces the
// runtime's private module object; the public surface is the `WasmModule` interface.
import { createHash } from "node:crypto";
import { RuntimeError, RuntimeErrorCode } from "../errors.js";
import type { ExternKind, ModuleExportInfo, ModuleImportInfo, WasmModule } from "../module.js";
import type { WasmValueType } from "../registrar.js";
import { FUEL_GLOBAL, FUEL_START, loadMeter } from "./fuelSeam.js";
import { GROW_REFUSED_EXPORT, guardMemoryGrow } from "./growGuard.js";
import { applyRewrites, checkMemories, type MemoryPlan, PAGE_BYTES } from "./rewrite.js";
import { type FuncType, type ParsedModule, parseModule, WasmFormatError } from "./wasmBinary.js";

let nextModuleId = 1;

/** The runtime's module object. Only modules made by `compileModule` can be instantiated. */
export class CompiledModule implements WasmModule {
  constructor(
    readonly hash: string,
    readonly imports: readonly ModuleImportInfo[],
    readonly exports: readonly ModuleExportInfo[],
    readonly metered: boolean,
    readonly maxMemoryBytes: number,
    /** The engine module, posted to workers (structured clone shares the compiled code). */
    readonly engineModule: WebAssembly.Module,
    readonly memory: MemoryPlan | undefined,
    /** Export holding the former start function (metered modules), called once after instantiation. */
    readonly startExport: string | undefined,
    /** True when instantiation runs guest code (a start section, or a metered start export). */
    readonly runsOnInstantiate: boolean,
    /** Export of the grow guard's flag, when the module was guarded (see growGuard.ts). */
    readonly growFlag: string | undefined,
    /** Process-unique id, so workers can cache per-module data. */
    readonly id: number = nextModuleId++,
  ) {}
}

const INTERNAL_EXPORTS = new Set([FUEL_GLOBAL, FUEL_START, GROW_REFUSED_EXPORT]);

/**
 * Compiles guest bytes under a memory cap, optionally metered.
 * @throws RuntimeError `MODULE_COMPILE_FAILED`, `MODULE_UNSUPPORTED` or `MEMORY_LIMIT`.
 */
export async function compileGuest(
  input: Uint8Array,
  options: { readonly capBytes: number; readonly fuel: boolean },
): Promise<CompiledModule> {
  const original = Uint8Array.from(input); // a private copy: the caller may reuse its buffer
  const hash = createHash("sha256").update(original).digest("hex");
  let bytes: Uint8Array = original;
  if (options.fuel) {
    const meter = await loadMeter();
    // Structural and engine validation first: an invalid module gets the engine's message, and the
    // memory checks (shared/64-bit/multiple) apply to what the guest author wrote.
    checkMemories(parse(bytes));
    if (!WebAssembly.validate(bytes)) await engineCompile(bytes);
    try {
      bytes = meter.meterModule(bytes);
    } catch (cause) {
      throw new RuntimeError(
        RuntimeErrorCode.MODULE_COMPILE_FAILED,
        `fuel metering failed: ${message(cause)}`,
        { cause },
      );
    }
  }
  // After metering, so the fuel a guest uses is unchanged. A guard that does not validate would be our bug:
  // the module then runs unguarded rather than not at all.
  let growFlag: string | undefined;
  if (options.fuel || WebAssembly.validate(bytes)) {
    const guarded = guardMemoryGrow(bytes);
    if (guarded !== undefined && WebAssembly.validate(guarded)) {
      bytes = guarded;
      growFlag = GROW_REFUSED_EXPORT;
    }
  }
  const parsed = parse(bytes);
  const capPages = Math.floor(options.capBytes / PAGE_BYTES);
  // The meter already moved any start function to FUEL_START; unmetered modules keep their start section.
  const rewritten = applyRewrites(bytes, parsed, capPages);
  const startExport = options.fuel && parsed.exportNames.includes(FUEL_START) ? FUEL_START : undefined;
  const engineModule = await engineCompile(rewritten.bytes);
  const imports = WebAssembly.Module.imports(engineModule).map(
    (d, i): ModuleImportInfo => ({
      module: d.module,
      name: d.name,
      kind: d.kind as ExternKind,
      signature: d.kind === "function" ? signatureOf(parsed, i) : undefined,
    }),
  );
  const exports = WebAssembly.Module.exports(engineModule)
    .filter((d) => !INTERNAL_EXPORTS.has(d.name))
    .map((d): ModuleExportInfo => ({ name: d.name, kind: d.kind as ExternKind }));
  if (
    options.fuel &&
    !WebAssembly.Module.exports(engineModule).some((d) => d.name === FUEL_GLOBAL && d.kind === "global")
  ) {
    throw new RuntimeError(
      RuntimeErrorCode.MODULE_COMPILE_FAILED,
      `metered module lacks the ${FUEL_GLOBAL} global export`,
    );
  }
  return new CompiledModule(
    hash,
    Object.freeze(imports),
    Object.freeze(exports),
    options.fuel,
    capPages * PAGE_BYTES,
    engineModule,
    rewritten.memory,
    startExport,
    startExport !== undefined || parsed.startFunction !== undefined,
    growFlag,
  );
}

function parse(bytes: Uint8Array): ParsedModule {
  try {
    return parseModule(bytes);
  } catch (cause) {
    if (cause instanceof WasmFormatError) {
      throw new RuntimeError(RuntimeErrorCode.MODULE_COMPILE_FAILED, `invalid module: ${cause.message}`, {
        cause,
      });
    }
    throw cause;
  }
}

/** Modules up to this size compile synchronously: faster than a hop to a compile thread and back. */
const SYNC_COMPILE_BYTES = 512 * 1024;

async function engineCompile(bytes: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return bytes.length <= SYNC_COMPILE_BYTES
      ? new WebAssembly.Module(bytes)
      : await WebAssembly.compile(bytes);
  } catch (cause) {
    throw new RuntimeError(RuntimeErrorCode.MODULE_COMPILE_FAILED, `invalid module: ${message(cause)}`, {
      cause,
    });
  }
}

function signatureOf(parsed: ParsedModule, importIndex: number): ModuleImportInfo["signature"] {
  const imp = parsed.imports[importIndex];
  if (imp?.typeIndex === undefined) return undefined;
  const type: FuncType | undefined = parsed.types[imp.typeIndex];
  if (type === undefined) return undefined;
  if (type.params.includes("other") || type.results.includes("other")) return undefined;
  return { params: type.params as WasmValueType[], results: type.results as WasmValueType[] };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
