/** Where one telemetry signal goes. */
export type ExporterKind = "console" | "otlp" | "none";

/** The exporter choice for every signal. */
export interface ExporterSelection {
  readonly traces: readonly ExporterKind[];
  readonly logs: readonly ExporterKind[];
  readonly metrics: readonly ExporterKind[];
}

type Env = Readonly<Record<string, string | undefined>>;

const SIGNALS = {
  traces: { selector: "OTEL_TRACES_EXPORTER", endpoint: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" },
  logs: { selector: "OTEL_LOGS_EXPORTER", endpoint: "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT" },
  metrics: { selector: "OTEL_METRICS_EXPORTER", endpoint: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" },
} as const;

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

function selectSignal(env: Env, selector: string, endpoint: string): ExporterKind[] {
  const raw = env[selector];
  if (present(raw)) {
    const kinds = new Set<ExporterKind>();
    for (const part of (raw ?? "").split(",")) {
      const name = part.trim().toLowerCase();
      // Unknown names (zipkin, prometheus, …) are not installed here; ignoring them keeps the process
      // running, and the selection falls back to "none" for that entry rather than guessing.
      if (name === "otlp" || name === "console" || name === "none") kinds.add(name);
    }
    if (kinds.has("none") || kinds.size === 0) return ["none"];
    return [...kinds];
  }
  // No explicit selector: an OTLP endpoint in the environment means "send OTLP"; otherwise the readable
  // console output is the default (the SDK's own default of OTLP to localhost would lose data silently).
  return present(env.OTEL_EXPORTER_OTLP_ENDPOINT) || present(env[endpoint]) ? ["otlp"] : ["console"];
}

/**
 * Chooses exporters from the standard OpenTelemetry environment variables:
 * `OTEL_SDK_DISABLED=true` turns everything off; `OTEL_{TRACES,LOGS,METRICS}_EXPORTER` (comma lists of
 * `otlp`, `console`, `none`) choose per signal; otherwise an `OTEL_EXPORTER_OTLP_ENDPOINT` (or the
 * per-signal endpoint) selects OTLP, and without any of these the console exporters are used.
 *
 * @param env - the environment (default `process.env`).
 * @returns the selection.
 */
export function selectExporters(env: Env = process.env): ExporterSelection {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") {
    return { traces: ["none"], logs: ["none"], metrics: ["none"] };
  }
  return {
    traces: selectSignal(env, SIGNALS.traces.selector, SIGNALS.traces.endpoint),
    logs: selectSignal(env, SIGNALS.logs.selector, SIGNALS.logs.endpoint),
    metrics: selectSignal(env, SIGNALS.metrics.selector, SIGNALS.metrics.endpoint),
  };
}
