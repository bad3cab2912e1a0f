// The seam to the fuel metering transform (packages/runtime/src/internal/fuel/meter.ts, owned by the
// fuel work). Loaded lazily so unmetered runtimes never load it (cold start).
import { RuntimeError, RuntimeErrorCode } from "../errors.js";

/**
 * Name of the mutable i64 global a metered module exports: the remaining fuel. The worker sets it to the
 * budget before any guest code runs and reads it after every call; a charge that would make it negative
 * sets it to -1 and traps, so a trap with a negative value is `FUEL_EXHAUSTED`.
 */
export const FUEL_GLOBAL = "__platform_fuel";

/** Export a metered module moves its start function to; the worker calls it once, after setting the fuel. */
export const FUEL_START = "__platform_start";

/** What the metering module provides. */
export interface Meter {
  readonly FUEL_GLOBAL_EXPORT: string;
  readonly FUEL_START_EXPORT: string;
  meterModule(bytes: Uint8Array): Uint8Array;
}

let meter: Promise<Meter> | undefined;

/** Loads the metering transform once (lazily: unmetered runtimes never load it). */
export function loadMeter(): Promise<Meter> {
  meter ??= import("./fuel/meter.js").then(
    (m: Meter) => {
      if (m.FUEL_GLOBAL_EXPORT !== FUEL_GLOBAL || m.FUEL_START_EXPORT !== FUEL_START) {
        throw new RuntimeError(
          RuntimeErrorCode.RUNTIME_FAILURE,
          `fuel meter uses exports ${m.FUEL_GLOBAL_EXPORT}/${m.FUEL_START_EXPORT}, expected ${FUEL_GLOBAL}/${FUEL_START}`,
        );
      }
      return m;
    },
    (cause: unknown) => {
      meter = undefined;
      throw new RuntimeError(RuntimeErrorCode.RUNTIME_FAILURE, "fuel metering is not available", { cause });
    },
  );
  return meter;
}
