import type { NetworkError, SandboxError } from "@platform-wasm/wire";

/**
 * Outcome of a sandbox policy check. A refusal carries the ABI error variant to hand back to the guest
 * and a human-readable `reason` for logs and audit.
 */
export type SandboxDecision<T> =
  | { readonly allowed: true; readonly value: T }
  | { readonly allowed: false; readonly error: SandboxError; readonly reason: string };

/** Outcome of a network policy check; see {@link SandboxDecision}. */
export type NetworkDecision<T> =
  | { readonly allowed: true; readonly value: T }
  | { readonly allowed: false; readonly error: NetworkError; readonly reason: string };

/** Builds an allowing decision. */
export function allow<T>(value: T): { readonly allowed: true; readonly value: T } {
  return { allowed: true, value };
}

/** Builds a refusing sandbox decision. */
export function denySandbox(error: SandboxError, reason: string): SandboxDecision<never> {
  return { allowed: false, error, reason };
}

/** Builds a refusing network decision. */
export function denyNetwork(error: NetworkError, reason: string): NetworkDecision<never> {
  return { allowed: false, error, reason };
}
