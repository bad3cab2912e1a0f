import type { WasmValueType } from "./registrar.js";

/** Kind of an import or export. */
export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

/** One import of a compiled module. */
export interface ModuleImportInfo {
  /** Import namespace, e.g. `platform_sandbox`. */
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  /**
   * For function imports whose signature uses only numeric types: parameter and result types.
   * `undefined` when the signature involves reference/vector types or could not be read.
   */
  readonly signature:
    | { readonly params: readonly WasmValueType[]; readonly results: readonly WasmValueType[] }
    | undefined;
}

/** One export of a compiled module (internal runtime exports such as the fuel global are not listed). */
export interface ModuleExportInfo {
  readonly name: string;
  readonly kind: ExternKind;
}

/**
 * A validated, compiled module, ready to instantiate any number of times (in any worker, without
 * recompiling). Created by {@link WasmRuntime.compileModule}.
 */
export interface WasmModule {
  /** Hex SHA-256 of the bytes given to `compileModule` (before any rewrite). */
  readonly hash: string;
  readonly imports: readonly ModuleImportInfo[];
  readonly exports: readonly ModuleExportInfo[];
  /** True when fuel metering was injected. */
  readonly metered: boolean;
  /** The memory cap this module was compiled with (its memory maximum, in bytes). */
  readonly maxMemoryBytes: number;
}

/** Options of {@link WasmRuntime.compileModule}. */
export interface CompileOptions {
  /** Memory cap for this module; default `RuntimeConfig.maxMemoryBytes`. */
  readonly maxMemoryBytes?: number;
  /** Meter this module; default `RuntimeConfig.fuel.enabled`. */
  readonly fuel?: boolean;
}
