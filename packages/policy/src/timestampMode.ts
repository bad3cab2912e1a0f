/**
 * How `platform_sandbox.get_timestamp` answers: the host's wall clock, or a fixed value so every validator
 * computes the same result.
 */
export type TimestampMode =
  | { readonly kind: "real_time" }
  | { readonly kind: "deterministic"; readonly timestampMs: number };

/** The default mode: real time. */
export function defaultTimestampMode(): TimestampMode {
  return { kind: "real_time" };
}

/**
 * The timestamp (Unix milliseconds) a guest sees under `mode`.
 * @param now injectable clock for real-time mode (defaults to `Date.now`).
 * @example timestampFor({ kind: "deterministic", timestampMs: 1_700_000_000_000 }) === 1_700_000_000_000
 */
export function timestampFor(mode: TimestampMode, now: () => number = Date.now): number {
  return mode.kind === "deterministic" ? mode.timestampMs : now();
}
