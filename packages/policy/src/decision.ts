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
