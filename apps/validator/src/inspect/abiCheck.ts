import { GuestExport, Namespace, NetworkImport, SandboxImport } from "@platform-wasm/wire";

/** A function signature (numeric value types only). */
export interface Signature {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

/** An import as WebAssembly reports it (with its signature when the runtime could read it). */
export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
  readonly signature?: Signature | undefined;
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

const REQUEST: Signature = { params: ["i32", "i32", "i32", "i32"], results: ["i32"] };
const TAKE: Signature = { params: ["i32", "i32"], results: ["i32"] };

/** Every host import of ABI v1 with its signature (DESIGN.md). */
const KNOWN_IMPORTS: ReadonlyMap<string, ReadonlyMap<string, Signature>> = new Map([
  [
    Namespace.Sandbox,
    new Map<string, Signature>([
      [SandboxImport.SandboxExec, REQUEST],
      [SandboxImport.TakeResult, TAKE],
      [SandboxImport.GetTimestamp, { params: [], results: ["i64"] }],
      [SandboxImport.LogMessage, { params: ["i32", "i32", "i32"], results: [] }],
    ]),
  ],
  [
    Namespace.Network,
    new Map<string, Signature>([
      [NetworkImport.HttpRequest, REQUEST],
      [NetworkImport.HttpGet, REQUEST],
      [NetworkImport.HttpPost, REQUEST],
      [NetworkImport.DnsResolve, REQUEST],
      [NetworkImport.TakeResult, TAKE],
    ]),
  ],
]);

function formatSignature(signature: Signature): string {
  return `(${signature.params.join(", ")}) -> (${signature.results.join(", ")})`;
}

function sameSignature(a: Signature, b: Signature): boolean {
  return a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

/**
 * Checks a module's imports and exports against ABI v1 of DESIGN.md: exports `memory`, `evaluate` and an
 * allocator (`alloc` or `allocate`); imports only functions the host provides, with their signatures.
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
    const expected = names?.get(entry.name);
    if (names === undefined) {
      problems.push(`import ${entry.module}.${entry.name}: unknown namespace "${entry.module}"`);
    } else if (expected === undefined) {
      problems.push(`import ${entry.module}.${entry.name}: not a function of ${entry.module}`);
    } else if (entry.kind !== "function") {
      problems.push(`import ${entry.module}.${entry.name}: expected a function, found ${entry.kind}`);
    } else if (entry.signature !== undefined && !sameSignature(entry.signature, expected)) {
      problems.push(
        `import ${entry.module}.${entry.name}: signature ${formatSignature(entry.signature)}, expected ${formatSignature(expected)}`,
      );
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
