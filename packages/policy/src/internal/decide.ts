import type { NetworkError, SandboxError } from "@platform-wasm/wire";
import type { NetworkDecision, SandboxDecision } from "../decision.js";

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

/** Shortens guest-controlled text before it is echoed into an error or reason (bounded, printable). */
export function quote(text: unknown, max = 120): string {
  const s = typeof text === "string" ? text : String(typeof text);
  const clipped = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(clipped);
}

/**
 * Runs a check and turns any unexpected exception into a refusal, so every public check stays total even
 * against inputs that break the declared types (the guest controls them).
 */
export function totalSandbox<T>(check: () => SandboxDecision<T>): SandboxDecision<T> {
  try {
    return check();
  } catch (cause) {
    return denySandbox(
      { PolicyViolation: "request could not be checked" },
      `policy check failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** {@link totalSandbox} for network decisions. */
export function totalNetwork<T>(check: () => NetworkDecision<T>): NetworkDecision<T> {
  try {
    return check();
  } catch (cause) {
    return denyNetwork(
      { PolicyViolation: "request could not be checked" },
      `policy check failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}
