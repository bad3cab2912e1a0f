import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import type { InstanceIdentity } from "@platform-wasm/runtime";
import { type LogLevel, logLevelFromI32, logLevelName } from "@platform-wasm/wire";
import type { GuestLogMessage } from "../worker/messages.js";
import type { LogLimits } from "./logLimits.js";
import type { SandboxState } from "./sandboxState.js";

/** Name of the OpenTelemetry logger (and tracer) of this package. */
export const INSTRUMENTATION_NAME = "@platform-wasm/host-functions";

const SEVERITY: Record<LogLevel, SeverityNumber> = {
  0: SeverityNumber.TRACE,
  1: SeverityNumber.DEBUG,
  2: SeverityNumber.INFO,
  3: SeverityNumber.WARN,
  4: SeverityNumber.ERROR,
};

function baseAttributes(instance: InstanceIdentity): Record<string, string> {
  return {
    challenge_id: instance.challengeId,
    validator_id: instance.validatorId,
    instance_id: instance.instanceId,
    source: "wasm",
  };
}

function isRecord(message: unknown): message is Extract<GuestLogMessage, { type: "record" }> {
  const m = message as Partial<Extract<GuestLogMessage, { type: "record" }>> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    m.type === "record" &&
    typeof m.level === "number" &&
    typeof m.text === "string" &&
    typeof m.length === "number" &&
    typeof m.truncated === "boolean"
  );
}

/**
 * Host side of `log_message`: applies the per-instance budget (authoritatively, whatever the worker did)
 * and emits an OpenTelemetry log record with `challenge_id`, `validator_id`, `source="wasm"`. When the
 * budget runs out, one WARN record says so and the rest is dropped.
 */
export function emitGuestLog(message: unknown, state: SandboxState, limits: LogLimits): void {
  const logger = logs.getLogger(INSTRUMENTATION_NAME);
  const wasExhausted = state.logBudgetExhausted;
  if (isRecord(message)) {
    // The same byte count the worker charged: the guest's length, capped per message.
    const bytes = Math.max(0, Math.min(message.length, limits.maxMessageBytes));
    if (state.tryLog(bytes, limits.maxRecords, limits.maxBytes)) {
      const level = logLevelFromI32(message.level);
      logger.emit({
        severityNumber: SEVERITY[level],
        severityText: logLevelName(level).toUpperCase(),
        body: message.text,
        attributes: {
          ...baseAttributes(state.instance),
          ...(message.truncated ? { "log.truncated": true, "log.original_bytes": message.length } : {}),
        },
      });
      return;
    }
  } else if ((message as { type?: unknown } | null)?.type === "budget-exhausted") {
    state.markLogBudgetExhausted();
  } else {
    return;
  }
  if (!wasExhausted && state.logBudgetExhausted) {
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: "WARN",
      body: `guest log budget exhausted (${limits.maxRecords} records / ${limits.maxBytes} bytes); further messages dropped`,
      attributes: { ...baseAttributes(state.instance), source: "host" },
    });
  }
}
