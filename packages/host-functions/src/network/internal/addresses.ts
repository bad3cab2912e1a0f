import type { ValidatedNetworkPolicy } from "@platform-wasm/policy";
import type { NetworkResolver } from "../resolver.js";
import { untilAborted } from "./deadline.js";
import { denied, errorText, NetworkFailure } from "./failure.js";

/**
 * Resolves an HTTP host once (A and AAAA) and checks every candidate address against the policy. If any
 * answer is blocked the whole request is refused: a name that also points somewhere forbidden is not
 * trusted. Returns the canonical addresses, IPv4 first — the only addresses the connection may use.
 */
export async function resolveVettedAddresses(
  policy: ValidatedNetworkPolicy,
  resolver: NetworkResolver,
  host: string,
  signal: AbortSignal,
): Promise<string[]> {
  const settled = await untilAborted(
    Promise.allSettled([resolver.resolve(host, "a", signal), resolver.resolve(host, "aaaa", signal)]),
    signal,
  );
  signal.throwIfAborted();
  const candidates: string[] = [];
  const failures: unknown[] = [];
  for (const outcome of settled) {
    if (outcome.status === "rejected") failures.push(outcome.reason);
    else if (Array.isArray(outcome.value) && outcome.value.every((v) => typeof v === "string")) {
      candidates.push(...outcome.value);
    } else failures.push(new Error("resolver returned a malformed answer"));
  }
  if (candidates.length === 0) {
    const detail = failures.length > 0 ? errorText(failures[0]) : "no A or AAAA records";
    throw new NetworkFailure({ DnsFailure: `could not resolve ${host}: ${detail}` });
  }
  const vetted: string[] = [];
  for (const candidate of candidates) {
    const decision = policy.isAddressAllowed(candidate);
    if (!decision.allowed) {
      throw denied(decision.error, `${host} resolves to ${candidate}: ${decision.reason}`);
    }
    if (!vetted.includes(decision.value)) vetted.push(decision.value);
  }
  return vetted;
}
