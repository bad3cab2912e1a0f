import type { WorkerImportContext } from "@platform-wasm/runtime";
import type { TimestampWorkerConfig } from "./messages.js";

/**
 * Worker-side factory of `platform_sandbox.get_timestamp: () -> i64`: Unix milliseconds from the worker's
 * clock, or the fixed deterministic value. Answered in the worker without a round trip.
 *
 * Loaded by the runtime's worker from `dist/worker/getTimestamp.js`; it imports nothing at run time.
 */
export function createGetTimestamp(config: unknown, _context: WorkerImportContext): () => bigint {
  const mode = config as TimestampWorkerConfig;
  if (mode.kind === "deterministic") {
    const fixed = BigInt(mode.timestampMs);
    return () => fixed;
  }
  return () => BigInt(Date.now());
}
