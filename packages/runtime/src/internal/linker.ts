// Resolves a module's imports against the registrars (and the runtime's own `take_result` and memory).
// Runs on the host before any worker is involved, so a link failure costs no worker.
import { TAKE_RESULT } from "@platform-wasm/wire";
import { type ImportRef, LinkError } from "../errors.js";
import type { HostFunctionRegistrar, RequestImport, WasmValueType, WorkerImport } from "../registrar.js";
import type { CompiledModule } from "./compiled.js";
import type { PlanEntry } from "./protocol.js";

/** A request import the instance must serve, by id. */
export interface LinkedRequest {
  readonly registrar: number;
  readonly import: RequestImport<unknown>;
  /** `namespace.name`, the key of host-call statistics and the span name. */
  readonly key: string;
}

/** A worker-side import whose messages the instance must route, by id. */
export interface LinkedWorkerImport {
  readonly registrar: number;
  readonly import: WorkerImport<unknown>;
}

/** Result of {@link link}. */
export interface LinkResult {
  readonly plan: readonly PlanEntry[];
  readonly requests: readonly LinkedRequest[];
  readonly workerImports: readonly LinkedWorkerImport[];
}

const REQUEST_SIGNATURE = { params: ["i32", "i32", "i32", "i32"], results: ["i32"] } as const;
const TAKE_SIGNATURE = { params: ["i32", "i32"], results: ["i32"] } as const;

/**
 * Builds the import plan.
 * @throws LinkError listing every missing import, every duplicate definition and every signature mismatch.
 */
export function link(
  module: CompiledModule,
  registrars: readonly HostFunctionRegistrar<unknown>[],
): LinkResult {
  const defined = new Map<
    string,
    { registrar: number; import: RequestImport<unknown> | WorkerImport<unknown> }
  >();
  const duplicates: ImportRef[] = [];
  const requestNamespaces = new Set<string>();
  registrars.forEach((r, registrar) => {
    for (const imp of r.imports) {
      const key = `${r.namespace}\u0000${imp.name}`;
      if (defined.has(key) || imp.name === TAKE_RESULT) {
        duplicates.push({ module: r.namespace, name: imp.name });
        continue;
      }
      defined.set(key, { registrar, import: imp });
      if (imp.kind === "request") requestNamespaces.add(r.namespace);
    }
  });
  const missing: ImportRef[] = [];
  const mismatches: string[] = [];
  const plan: PlanEntry[] = [];
  const requests: LinkedRequest[] = [];
  const workerImports: LinkedWorkerImport[] = [];
  const nsIndex = new Map<string, number>();
  const nsOf = (ns: string): number => {
    let i = nsIndex.get(ns);
    if (i === undefined) {
      i = nsIndex.size;
      nsIndex.set(ns, i);
    }
    return i;
  };
  const check = (
    ref: ImportRef,
    actual: (typeof module.imports)[number]["signature"],
    expected: { readonly params: readonly WasmValueType[]; readonly results: readonly WasmValueType[] },
  ): void => {
    // Unknown signatures (reference types) are left to the engine; numeric ones must match exactly.
    if (actual === undefined) return;
    if (!same(actual.params, expected.params) || !same(actual.results, expected.results)) {
      mismatches.push(
        `${ref.module}.${ref.name} is imported as (${actual.params.join(", ")}) -> (${actual.results.join(", ")}) but provided as (${expected.params.join(", ")}) -> (${expected.results.join(", ")})`,
      );
    }
  };
  for (const imp of module.imports) {
    const ref = { module: imp.module, name: imp.name };
    if (imp.kind === "memory" && module.memory?.imported !== undefined) {
      plan.push({
        kind: "memory",
        module: imp.module,
        name: imp.name,
        initial: module.memory.initialPages,
        maximum: module.memory.maximumPages,
      });
      continue;
    }
    if (imp.kind !== "function") {
      missing.push(ref);
      continue;
    }
    if (imp.name === TAKE_RESULT && requestNamespaces.has(imp.module)) {
      check(ref, imp.signature, TAKE_SIGNATURE);
      plan.push({ kind: "take", module: imp.module, name: imp.name, ns: nsOf(imp.module) });
      continue;
    }
    const def = defined.get(`${imp.module}\u0000${imp.name}`);
    if (def === undefined) {
      missing.push(ref);
      continue;
    }
    if (def.import.kind === "request") {
      check(ref, imp.signature, REQUEST_SIGNATURE);
      plan.push({
        kind: "request",
        module: imp.module,
        name: imp.name,
        id: requests.length,
        ns: nsOf(imp.module),
      });
      requests.push({ registrar: def.registrar, import: def.import, key: `${imp.module}.${imp.name}` });
    } else {
      const w = def.import;
      check(ref, imp.signature, w);
      plan.push({
        kind: "worker",
        module: imp.module,
        name: imp.name,
        id: workerImports.length,
        moduleUrl: w.moduleUrl,
        exportName: w.exportName,
        config: w.config,
        arity: w.params.length,
      });
      workerImports.push({ registrar: def.registrar, import: w });
    }
  }
  if (missing.length > 0 || duplicates.length > 0 || mismatches.length > 0) {
    throw new LinkError(
      missing,
      duplicates,
      mismatches.length > 0 ? `signature mismatches: ${mismatches.join("; ")}` : undefined,
    );
  }
  return { plan, requests, workerImports };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
