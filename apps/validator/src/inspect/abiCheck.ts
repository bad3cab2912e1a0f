import { GuestExport, Namespace, NetworkImport, SandboxImport } from "@platform-wasm/wire";

/** An import as WebAssembly reports it. */
export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

/** An export as WebAssembly reports it. */
export interface ExportEntry {
  readonly name: string;
  readonly kind: string;
}

/** Result of {@link checkAbi}. */
export interface AbiReport {
  /** Whether the module can be evaluated under ABI v1 (no problems). */
  readonly compatible: boolean;
  /** What prevents evaluation. */
  readonly problems: readonly string[];
  /** Optional parts of the contract the module provides. */
  readonly features: {
    readonly validate: boolean;
    readonly getName: boolean;
    readonly getVersion: boolean;
    readonly allocator: "alloc" | "allocate" | "none";
  };
}

const KNOWN_IMPORTS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  [Namespace.Sandbox, new Set<string>(Object.values(SandboxImport))],
  [Namespace.Network, new Set<string>(Object.values(NetworkImport))],
]);

/**
 * Checks a module's imports and exports against ABI v1 of DESIGN.md: exports `memory`, `evaluate` and an
 * allocator (`alloc` or `allocate`); imports only functions the host provides.
 *
 * @param imports - the module's imports.
 * @param exports - the module's exports.
 * @param memoryExport - name of the memory export (default `memory`).
 * @returns the report.
 */
export function checkAbi(
  imports: readonly ImportEntry[],
  exports: readonly ExportEntry[],
  memoryExport: string = GuestExport.Memory,
): AbiReport {
  const problems: string[] = [];
  const exported = new Map(exports.map((e) => [e.name, e.kind]));
  const hasFunction = (name: string) => exported.get(name) === "function";

  if (exported.get(memoryExport) !== "memory") problems.push(`missing memory export "${memoryExport}"`);
  if (!hasFunction(GuestExport.Evaluate)) problems.push(`missing function export "${GuestExport.Evaluate}"`);
  const allocator = hasFunction(GuestExport.Alloc)
    ? "alloc"
    : hasFunction(GuestExport.Allocate)
      ? "allocate"
      : "none";
  if (allocator === "none") {
    problems.push(`missing allocator export ("${GuestExport.Alloc}" or "${GuestExport.Allocate}")`);
  }
  for (const entry of imports) {
    const names = KNOWN_IMPORTS.get(entry.module);
    if (names === undefined) {
      problems.push(`import ${entry.module}.${entry.name}: unknown namespace "${entry.module}"`);
    } else if (!names.has(entry.name)) {
      problems.push(`import ${entry.module}.${entry.name}: not a function of ${entry.module}`);
    } else if (entry.kind !== "function") {
      problems.push(`import ${entry.module}.${entry.name}: expected a function, found ${entry.kind}`);
    }
  }
  return {
    compatible: problems.length === 0,
    problems,
    features: {
      validate: hasFunction(GuestExport.Validate),
      getName: hasFunction(GuestExport.GetName),
      getVersion: hasFunction(GuestExport.GetVersion),
      allocator,
    },
  };
}
