/**
 * Stable codes of {@link FuelMeteringError}. Each names why a module could not be metered; none of them is
 * a guest trap (running out of fuel is reported by the runtime as `FUEL_EXHAUSTED`).
 */
export const FuelMeteringErrorCode = {
  /** The input is not a valid WebAssembly module (it is refused before any rewriting). */
  InvalidModule: "FUEL_INVALID_MODULE",
  /**
   * The module uses a feature the transform cannot meter exactly (exception handling, GC or typed function
   * references, 64-bit memories or tables, or an instruction this cost table version does not know).
   */
  UnsupportedFeature: "FUEL_UNSUPPORTED_FEATURE",
  /** The module already exports a name the transform reserves (`__platform_fuel`, `__platform_start`). */
  ReservedExport: "FUEL_RESERVED_EXPORT",
  /** A custom cost table is out of range (negative, fractional, too large, or not a power of two). */
  InvalidCostTable: "FUEL_INVALID_COST_TABLE",
  /** The metered module does not validate, e.g. a function body grew past an engine limit. */
  OutputInvalid: "FUEL_OUTPUT_INVALID",
} as const;

/** One of the {@link FuelMeteringErrorCode} values. */
export type FuelMeteringErrorCode = (typeof FuelMeteringErrorCode)[keyof typeof FuelMeteringErrorCode];

/** Raised by `meterModule` when a module cannot be metered; `code` says why. */
export class FuelMeteringError extends Error {
  override readonly name = "FuelMeteringError";
  readonly code: FuelMeteringErrorCode;

  /**
   * @param code - stable reason code.
   * @param message - what was wrong, naming the offending section, function or instruction.
   * @param options - `cause` of the failure, when there is one.
   */
  constructor(code: FuelMeteringErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * Whether `value` is a {@link FuelMeteringError}.
 * @param value - anything caught.
 * @returns true for errors raised by the metering transform.
 */
export function isFuelMeteringError(value: unknown): value is FuelMeteringError {
  return value instanceof FuelMeteringError;
}
