import { PolicyError } from "./errors.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import type { ValidatedSandboxPolicy } from "./validatedSandboxPolicy.js";

/**
 * Checks a sandbox policy and returns its enforceable form.
 * @throws PolicyError (`POLICY_INVALID`) naming the bad field.
 */
export function validateSandboxPolicy(policy: SandboxPolicy): ValidatedSandboxPolicy {
  throw new PolicyError("", `not implemented ${policy.enabled}`);
}
