import { parseDocument } from "yaml";
import type { z } from "zod";
import { isPolicyError, PolicyFileError } from "./errors.js";
import { policyFileSchema } from "./internal/document/schema.js";
import { toFilePath, toPolicyDocument } from "./internal/document/toDocument.js";
import type { PolicyDocument } from "./policyDocument.js";
import { validateNetworkPolicy } from "./validateNetworkPolicy.js";
import { validateSandboxPolicy } from "./validateSandboxPolicy.js";

/** Largest policy text accepted (a policy is a few hundred bytes; this bounds parser work). */
export const MAX_POLICY_TEXT_BYTES = 1024 * 1024;

/** Options of {@link parsePolicyDocument}. */
export interface ParsePolicyOptions {
  format: "json" | "yaml";
  /** Label used in error messages (usually the file path). */
  source: string;
}

/** `sandbox.allowed_commands[2]`-style rendering of a zod issue path. */
function renderPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  if (issue.code === "unrecognized_keys") {
    const base = renderPath(issue.path);
    const key = issue.keys[0] ?? "";
    return {
      path: base === "" ? key : `${base}.${key}`,
      message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
    };
  }
  return { path: renderPath(issue.path), message: issue.message };
}

function parseText(text: string, options: ParsePolicyOptions): unknown {
  if (options.format === "json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new PolicyFileError(options.source, "", `invalid JSON: ${(cause as Error).message}`, { cause });
    }
    // JSON.parse keeps the last of duplicate keys silently; a second "allowed_commands" must not
    // quietly replace the first. JSON is YAML 1.2, whose parser reports duplicates.
    const duplicate = parseDocument(text, {
      version: "1.2",
      uniqueKeys: true,
      logLevel: "silent",
    }).errors.find((error) => error.code === "DUPLICATE_KEY");
    if (duplicate !== undefined) {
      throw new PolicyFileError(options.source, "", `invalid JSON: ${duplicate.message}`, {
        cause: duplicate,
      });
    }
    return value;
  }
  try {
    // YAML 1.2 core schema: `yes`/`no`/`on` stay strings (no 1.1 surprises); duplicate keys are errors;
    // warnings (unknown `!tags`) are errors too, and nothing is printed (logLevel silent).
    const doc = parseDocument(text, {
      version: "1.2",
      uniqueKeys: true,
      prettyErrors: false,
      logLevel: "silent",
    });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem !== undefined) throw problem;
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (cause) {
    throw new PolicyFileError(options.source, "", `invalid YAML: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Parses policy-file text: `{sandbox, network, timestamp, limits}` with the reference's snake_case field
 * names. Every section and field is optional (absent = secure default); unknown fields are errors; the
 * sandbox and network sections are then validated as `validateSandboxPolicy`/`validateNetworkPolicy` do.
 * An empty YAML document means "all defaults".
 * @throws PolicyFileError with `.path` naming the bad field (e.g. `sandbox.allowed_commands[2]`) and `.source`.
 * @example
 * parsePolicyDocument('{"sandbox": {"allowed_commands": ["cat"]}}', { format: "json", source: "inline" })
 */
export function parsePolicyDocument(text: string, options: ParsePolicyOptions): PolicyDocument {
  if (typeof text !== "string") throw new PolicyFileError(options.source, "", "policy text is not a string");
  if (options.format !== "json" && options.format !== "yaml") {
    throw new PolicyFileError(
      options.source,
      "",
      `unknown policy format ${JSON.stringify(String(options.format))}`,
    );
  }
  if (Buffer.byteLength(text, "utf8") > MAX_POLICY_TEXT_BYTES) {
    throw new PolicyFileError(options.source, "", `policy is larger than ${MAX_POLICY_TEXT_BYTES} bytes`);
  }
  const raw = parseText(text, options);
  const result = policyFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map(describeIssue);
    const first = issues[0] ?? { path: "", message: "invalid policy" };
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more: ${issues
            .slice(1, 4)
            .map((i) => `${i.path}: ${i.message}`)
            .join("; ")})`
        : "";
    throw new PolicyFileError(options.source, first.path, `${first.message}${more}`, { cause: result.error });
  }
  const document = toPolicyDocument(result.data);
  for (const [section, check] of [
    ["sandbox", () => validateSandboxPolicy(document.sandbox)],
    ["network", () => validateNetworkPolicy(document.network)],
  ] as const) {
    try {
      check();
    } catch (cause) {
      if (!isPolicyError(cause)) throw cause;
      throw new PolicyFileError(options.source, toFilePath(section, cause.field), cause.detail, { cause });
    }
  }
  return document;
}
