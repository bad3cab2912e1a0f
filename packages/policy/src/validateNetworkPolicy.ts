import { PolicyError } from "./errors.js";
import type { NetworkPolicy } from "./networkPolicy.js";
import type { ValidatedNetworkPolicy } from "./validatedNetworkPolicy.js";

/**
 * Checks a network policy and returns its enforceable form.
 * @throws PolicyError (`POLICY_INVALID`) naming the bad entry.
 */
export function validateNetworkPolicy(policy: NetworkPolicy): ValidatedNetworkPolicy {
  throw new PolicyError("", `not implemented ${policy.allowInternet}`);
}
