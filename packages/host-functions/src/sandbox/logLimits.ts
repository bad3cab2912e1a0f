import { HostFunctionsError, HostFunctionsErrorCode } from "../errors.js";

/** Limits on what one guest instance may log through `platform_sandbox.log_message`. */
export interface LogLimits {
  /** Longest message kept, in UTF-8 bytes; longer messages are cut (and marked truncated). Default 4 KiB. */
  readonly maxMessageBytes: number;
  /** Records per instance; later messages are dropped. Default 1 000. */
  readonly maxRecords: number;
  /** Message bytes per instance (after the per-message cap); later messages are dropped. Default 256 KiB. */
  readonly maxBytes: number;
}

/** Defaults of {@link LogLimits}. */
export const DEFAULT_LOG_LIMITS: LogLimits = Object.freeze({
  maxMessageBytes: 4096,
  maxRecords: 1000,
  maxBytes: 256 * 1024,
});

/**
 * Fills unset fields with the defaults and checks every value is a non-negative safe integer.
 * @throws HostFunctionsError `INVALID_OPTIONS` naming the bad field.
 */
export function resolveLogLimits(limits: Partial<LogLimits> | undefined): LogLimits {
  const resolved = { ...DEFAULT_LOG_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new HostFunctionsError(
        HostFunctionsErrorCode.INVALID_OPTIONS,
        `logLimits.${name} must be a non-negative integer, got ${String(value)}`,
      );
    }
  }
  return resolved;
}
