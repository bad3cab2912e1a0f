import { PolicyErrorCode, PolicyFileError } from "./errors.js";
import type { PolicyDocument } from "./policyDocument.js";

/**
 * Reads and parses a policy file; the format follows the extension (`.json`, `.yaml`, `.yml`).
 * @throws PolicyFileError (`POLICY_FILE_UNREADABLE` or `POLICY_FILE_INVALID`).
 */
export async function loadPolicyFile(path: string): Promise<PolicyDocument> {
  throw new PolicyFileError(path, "", "not implemented", { code: PolicyErrorCode.POLICY_FILE_UNREADABLE });
}
