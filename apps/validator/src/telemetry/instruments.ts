import { type Counter, type Histogram, metrics } from "@opentelemetry/api";

/** Instrumentation scope name of the validator's tracer, meter and logger. */
export const INSTRUMENTATION_SCOPE = "@platform-wasm/validator";

/** Names of the validator's metrics (stable: dashboards use them). */
export const MetricName = {
  /** Counter: evaluations and validations run; attributes `kind`, `outcome`, `error.code`. */
  evaluations: "validator.evaluations",
  /** Counter: evaluations stopped by the guest (trap, deadline, memory limit, fuel); attribute `error.code`. */
  traps: "validator.traps",
  /** Counter: host calls refused by policy; attribute `namespace`. */
  denials: "validator.policy.denials",
  /** Counter: `sandbox_exec` processes run by guests. */
  sandboxExecutions: "validator.sandbox.executions",
  /** Counter: HTTP requests made by guests. */
  networkRequests: "validator.network.requests",
  /** Histogram: wall time of one evaluation, milliseconds; attributes `kind`, `outcome`. */
  duration: "validator.evaluation.duration",
} as const;

/** The validator's instruments. */
export interface ValidatorInstruments {
  readonly evaluations: Counter;
  readonly traps: Counter;
  readonly sandboxExecutions: Counter;
  readonly networkRequests: Counter;
  readonly duration: Histogram;
}

/**
 * Creates the instruments on the global meter provider (a no-op until the SDK is set up). Call after
 * {@link setupTelemetry} so the instruments bind to the real provider.
 *
 * @returns the instruments.
 */
export function createInstruments(): ValidatorInstruments {
  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
  return {
    evaluations: meter.createCounter(MetricName.evaluations, {
      description: "Evaluations and validations run",
    }),
    traps: meter.createCounter(MetricName.traps, {
      description: "Evaluations stopped by a guest trap, deadline, memory limit or fuel exhaustion",
    }),
    sandboxExecutions: meter.createCounter(MetricName.sandboxExecutions, {
      description: "Processes run through platform_sandbox.sandbox_exec",
    }),
    networkRequests: meter.createCounter(MetricName.networkRequests, {
      description: "HTTP requests made through platform_network",
    }),
    duration: meter.createHistogram(MetricName.duration, {
      description: "Wall time of one evaluation",
      unit: "ms",
    }),
  };
}
