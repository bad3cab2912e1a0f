import { logs } from "@opentelemetry/api-logs";
import { type ExporterSelection, selectExporters } from "./exporterSelection.js";
import { INSTRUMENTATION_SCOPE } from "./instruments.js";
import type { Telemetry, TelemetryOptions } from "./setup.js";

/**
 * Installs telemetry unless nothing would be exported: when every signal's exporter is `none`
 * (`OTEL_SDK_DISABLED=true`, or `OTEL_*_EXPORTER=none` for all three) and no extra exporters are given, the
 * SDK is not even loaded — the API's no-op providers stay in place — which saves its start-up cost for
 * scripted CLI runs.
 *
 * @param options - as for {@link setupTelemetry}.
 * @returns the installed telemetry, or a no-op handle.
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const selection = selectExporters(options.env ?? process.env);
  const extras =
    (options.spanExporters?.length ?? 0) +
    (options.logExporters?.length ?? 0) +
    (options.metricReaders?.length ?? 0);
  if (extras === 0 && exportsNothing(selection)) {
    return {
      selection,
      logger: logs.getLogger(INSTRUMENTATION_SCOPE),
      async forceFlush() {},
      async shutdown() {},
    };
  }
  const { setupTelemetry } = await import("./setup.js");
  return setupTelemetry(options);
}

function exportsNothing(selection: ExporterSelection): boolean {
  return [selection.traces, selection.logs, selection.metrics].every((kinds) =>
    kinds.every((k) => k === "none"),
  );
}
