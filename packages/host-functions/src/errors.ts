/**
 * Stable codes of `@platform-wasm/host-functions` errors. One table for the whole package: each namespace
 * appends its codes here (TSDoc on every code) so callers switch on `code`, never on messages.
 */
export const HostFunctionsErrorCode = {
  /** A registrar was constructed with options that are out of range or inconsistent. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /**
   * A worker-side import module (`dist/worker/*.js`) is missing: the package was run from source without
   * being built. Run `pnpm --filter @platform-wasm/host-functions build`.
   */
  WORKER_MODULE_MISSING: "WORKER_MODULE_MISSING",
} as const;

/** One of {@link HostFunctionsErrorCode}. */
export type HostFunctionsErrorCode = (typeof HostFunctionsErrorCode)[keyof typeof HostFunctionsErrorCode];

/** Error thrown by `@platform-wasm/host-functions` APIs (never across the guest ABI, which uses envelopes). */
export class HostFunctionsError extends Error {
  override readonly name = "HostFunctionsError";
  /** Stable code from {@link HostFunctionsErrorCode}. */
  readonly code: HostFunctionsErrorCode;
  constructor(code: HostFunctionsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a {@link HostFunctionsError}. */
export function isHostFunctionsError(error: unknown): error is HostFunctionsError {
  return error instanceof HostFunctionsError;
}
