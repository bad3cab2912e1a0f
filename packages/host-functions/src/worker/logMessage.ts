import type { WorkerImportContext } from "@platform-wasm/runtime";
import type { GuestLogMessage, LogWorkerConfig } from "./messages.js";

/**
 * Worker-side factory of `platform_sandbox.log_message(level: i32, ptr: i32, len: i32) -> ()`.
 *
 * Reads at most `maxMessageBytes` of the message from guest memory (an out-of-bounds range or a negative
 * length drops the message), decodes it as UTF-8 with invalid sequences replaced, maps unknown levels to
 * info, and posts it to the host without waiting. The per-instance budget (`maxRecords`, `maxBytes`) is
 * applied here first, so a flooding guest never even reaches the message channel; the host applies it
 * again (its counters are the authoritative ones).
 *
 * Loaded by the runtime's worker from `dist/worker/logMessage.js`; it imports nothing at run time.
 */
export function createLogMessage(
  config: unknown,
  context: WorkerImportContext,
): (level: number, ptr: number, len: number) => void {
  const { maxMessageBytes, maxRecords, maxBytes } = config as LogWorkerConfig;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let records = 0;
  let bytes = 0;
  let exhausted = false;
  return (level, ptr, len) => {
    if (exhausted) {
      return;
    }
    if (!Number.isInteger(len) || len < 0) {
      return;
    }
    const take = Math.min(len, maxMessageBytes);
    if (records >= maxRecords || bytes + take > maxBytes) {
      exhausted = true;
      const note: GuestLogMessage = { type: "budget-exhausted" };
      context.post(note);
      return;
    }
    const raw = context.readMemory(ptr, take);
    if (raw === undefined) {
      return;
    }
    records += 1;
    bytes += take;
    const message: GuestLogMessage = {
      type: "record",
      level: level >= 0 && level <= 4 ? level : 2,
      text: decoder.decode(raw),
      length: len,
      truncated: len > take,
    };
    context.post(message);
  };
}
