import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { PolicyErrorCode, PolicyFileError } from "./errors.js";
import { MAX_POLICY_TEXT_BYTES, parsePolicyDocument } from "./parsePolicyDocument.js";
import type { PolicyDocument } from "./policyDocument.js";

const FORMATS: Readonly<Record<string, "json" | "yaml">> = {
  ".json": "json",
  ".yaml": "yaml",
  ".yml": "yaml",
};

/**
 * Reads and parses a policy file; the format follows the extension (`.json`, `.yaml`, `.yml`, any case).
 * @throws PolicyFileError — `POLICY_FILE_UNREADABLE` (missing, not a file, too large, unknown extension)
 * or `POLICY_FILE_INVALID` (syntax, schema or validation error, with `.path`).
 * @example const doc = await loadPolicyFile("challenge.policy.yaml");
 */
export async function loadPolicyFile(path: string): Promise<PolicyDocument> {
  const unreadable = (detail: string, cause?: unknown) =>
    new PolicyFileError(path, "", detail, { code: PolicyErrorCode.POLICY_FILE_UNREADABLE, cause });
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) throw unreadable("policy files must end in .json, .yaml or .yml");
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw unreadable("not a regular file");
    if (info.size > MAX_POLICY_TEXT_BYTES) throw unreadable(`larger than ${MAX_POLICY_TEXT_BYTES} bytes`);
    text = await readFile(path, "utf8");
  } catch (cause) {
    if (cause instanceof PolicyFileError) throw cause;
    throw unreadable(
      `cannot read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      cause,
    );
  }
  return parsePolicyDocument(text, { format, source: path });
}
