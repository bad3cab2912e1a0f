import { type ErrorBody, toErrorBody } from "./errorBody.js";
import type { ExecutionMetrics, ExecutionOutput, ExecutionResult } from "./executor/types.js";

/** The JSON object of a successful evaluation, printed by `--json` and answered by the service. */
export interface SuccessBody {
  readonly ok: true;
  readonly output: ExecutionOutput;
  readonly metrics: ExecutionMetrics;
}

/** The JSON object of a failed command or request. */
export interface FailureBody {
  readonly ok: false;
  readonly error: ErrorBody;
}

/**
 * @param result - an executor result.
 * @returns `{"ok": true, "output": {score, valid, message}, "metrics": {…}}`.
 */
export function successBody(result: ExecutionResult): SuccessBody {
  const { score, valid, message } = result.output;
  const m = result.metrics;
  return {
    ok: true,
    output: { score, valid, message },
    metrics: {
      execution_time_ms: m.execution_time_ms,
      memory_used_bytes: m.memory_used_bytes,
      sandbox_executions: m.sandbox_executions,
      network_requests: m.network_requests,
      fuel_consumed: m.fuel_consumed,
    },
  };
}

/**
 * @param error - anything thrown.
 * @returns `{"ok": false, "error": {code, message}}`.
 */
export function failureBody(error: unknown): FailureBody {
  return { ok: false, error: toErrorBody(error) };
}
