import { PolicyFileError } from "./errors.js";
import type { PolicyDocument } from "./policyDocument.js";

/** Options of {@link parsePolicyDocument}. */
export interface ParsePolicyOptions {
  format: "json" | "yaml";
  /** Label used in error messages (usually the file path). */
  source: string;
}

/**
 * Parses policy-file text (snake_case field names, every section optional, unknown fields refused).
 * @throws PolicyFileError with `.path` naming the bad field (e.g. `sandbox.allowed_commands[2]`).
 */
export function parsePolicyDocument(text: string, options: ParsePolicyOptions): PolicyDocument {
  throw new PolicyFileError(options.source, "", `not implemented (${text.length})`);
}
