import { stat } from "node:fs/promises";
import path from "node:path";
import { defaultPolicyDocument, loadPolicyFile, type PolicyDocument } from "@platform-wasm/policy";

/** Extensions of companion policy files, in lookup order. */
export const COMPANION_POLICY_EXTENSIONS = [".policy.json", ".policy.yaml", ".policy.yml"] as const;

/**
 * Candidate companion policy paths of a module: `<dir>/<stem>.policy.json|yaml|yml` (for `x.wasm`,
 * `x.policy.json`), then `<dir>/<file>.policy.*` (`x.wasm.policy.json`).
 *
 * @param modulePath - the module's path.
 * @returns the candidates in lookup order.
 */
export function companionPolicyCandidates(modulePath: string): string[] {
  const dir = path.dirname(modulePath);
  const file = path.basename(modulePath);
  const stem = file.endsWith(".wasm") ? file.slice(0, -".wasm".length) : file;
  const bases = stem === file ? [file] : [stem, file];
  return bases.flatMap((base) => COMPANION_POLICY_EXTENSIONS.map((ext) => path.join(dir, `${base}${ext}`)));
}

/**
 * @param modulePath - the module's path.
 * @returns the first companion policy file that exists, or `undefined`.
 */
export async function findCompanionPolicy(modulePath: string): Promise<string | undefined> {
  for (const candidate of companionPolicyCandidates(modulePath)) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Absent candidate: try the next one.
    }
  }
  return undefined;
}

/** A policy document and where it came from. */
export interface ResolvedPolicy {
  readonly document: PolicyDocument;
  /** The file it was loaded from; `undefined` for the secure defaults. */
  readonly source: string | undefined;
}

/**
 * Loads the policy for a module: the explicit file when given, else the companion file, else the secure
 * defaults. Read on every call so an edited policy applies to the next evaluation.
 *
 * @param modulePath - the module's path.
 * @param explicitPath - a policy file chosen by the operator.
 * @returns the policy.
 * @throws the policy package's `PolicyFileError` (code `POLICY_INVALID` or similar) naming the bad field.
 */
export async function resolvePolicy(modulePath: string, explicitPath?: string): Promise<ResolvedPolicy> {
  const source = explicitPath ?? (await findCompanionPolicy(modulePath));
  if (source === undefined) return { document: defaultPolicyDocument(), source: undefined };
  return { document: await loadPolicyFile(source), source };
}
