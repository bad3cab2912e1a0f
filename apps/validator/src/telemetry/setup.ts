import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { type Logger, logs } from "@opentelemetry/api-logs";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import { type IMetricReader, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { DenialSpanProcessor } from "./denialSpanProcessor.js";
import { type ExporterSelection, selectExporters } from "./exporterSelection.js";
import { INSTRUMENTATION_SCOPE, MetricName } from "./instruments.js";
import {
  type LineSink,
  StreamLogRecordExporter,
  StreamMetricExporter,
  StreamSpanExporter,
} from "./streamExporters.js";

/** Default `service.name` (overridden by `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`). */
export const DEFAULT_SERVICE_NAME = "platform-wasm-validator";

/** Resource attribute carrying the validator's id. */
export const ATTR_VALIDATOR_ID = "validator.id";

/** Options of {@link setupTelemetry}. */
export interface TelemetryOptions {
  /** This validator's id (resource attribute `validator.id`). */
  readonly validatorId: string;
  /** `service.version` of the resource. */
  readonly serviceVersion?: string;
  /** Environment to read `OTEL_*` variables from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the console exporters write (default stderr). */
  readonly sink?: LineSink;
  /** Additional span exporters, exported synchronously (tests use the SDK's in-memory exporter). */
  readonly spanExporters?: readonly SpanExporter[];
  /** Additional log exporters, exported synchronously. */
  readonly logExporters?: readonly LogRecordExporter[];
  /** Additional metric readers. */
  readonly metricReaders?: readonly IMetricReader[];
}

/** The installed SDK. */
export interface Telemetry {
  /** Which exporters were chosen. */
  readonly selection: ExporterSelection;
  /** Logger for the app's own log records. */
  readonly logger: Logger;
  /** Exports everything buffered. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops every provider and unregisters the globals. Bounded by `timeoutMs` so an
   * unreachable collector cannot hold the process open.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

function metricInterval(env: Readonly<Record<string, string | undefined>>): number {
  const raw = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return Number.isFinite(raw) && raw >= 100 ? raw : 60_000;
}

function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  return Promise.race([work.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Installs the OpenTelemetry SDK for this process: a tracer provider with the AsyncLocalStorage context
 * manager (so spans created by the runtime and host functions through the global API nest under the
 * evaluation span), a logger provider (guest logs forwarded by `@platform-wasm/host-functions` and app
 * logs) and a meter provider, all sharing one resource with `service.name` and `validator.id`.
 * Exporters follow the standard `OTEL_*` variables (see {@link selectExporters}); the default is readable
 * lines on stderr.
 *
 * The OTLP exporters are imported only when selected (they are the heaviest part of the SDK to load, and
 * a CLI run should not pay for them by default).
 *
 * @param options - see {@link TelemetryOptions}.
 * @returns the handle to flush and shut down.
 */
export async function setupTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const env = options.env ?? process.env;
  const selection = selectExporters(env);
  const sink = options.sink ?? process.stderr;
  const base = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME,
    [ATTR_VALIDATOR_ID]: options.validatorId,
    ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
  });
  // Environment attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) win over our defaults.
  const resource = defaultResource()
    .merge(base)
    .merge(detectResources({ detectors: [envDetector] }));

  const spanProcessors: SpanProcessor[] = [];
  for (const kind of selection.traces) {
    if (kind === "console") spanProcessors.push(new SimpleSpanProcessor(new StreamSpanExporter(sink)));
    if (kind === "otlp") {
      const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
      spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
    }
  }
  for (const exporter of options.spanExporters ?? []) spanProcessors.push(new SimpleSpanProcessor(exporter));

  const logProcessors: LogRecordProcessor[] = [];
  for (const kind of selection.logs) {
    if (kind === "console")
      logProcessors.push(new SimpleLogRecordProcessor({ exporter: new StreamLogRecordExporter(sink) }));
    if (kind === "otlp") {
      const { OTLPLogExporter } = await import("@opentelemetry/exporter-logs-otlp-http");
      logProcessors.push(new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() }));
    }
  }
  for (const exporter of options.logExporters ?? [])
    logProcessors.push(new SimpleLogRecordProcessor({ exporter }));

  const readers: IMetricReader[] = [];
  const exportIntervalMillis = metricInterval(env);
  for (const kind of selection.metrics) {
    if (kind === "console") {
      readers.push(
        new PeriodicExportingMetricReader({ exporter: new StreamMetricExporter(sink), exportIntervalMillis }),
      );
    }
    if (kind === "otlp") {
      const { OTLPMetricExporter } = await import("@opentelemetry/exporter-metrics-otlp-http");
      readers.push(
        new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis }),
      );
    }
  }
  readers.push(...(options.metricReaders ?? []));

  const meterProvider = new MeterProvider({ resource, readers });
  // Always installed (even with no trace exporter) so denials are counted whatever the export settings.
  const denials = meterProvider.getMeter(INSTRUMENTATION_SCOPE).createCounter(MetricName.denials, {
    description: "Host calls refused by policy",
  });
  spanProcessors.push(new DenialSpanProcessor(denials));
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  // Registers the tracer provider, the W3C propagator and the AsyncLocalStorage context manager.
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({ resource, processors: logProcessors });
  logs.setGlobalLoggerProvider(loggerProvider);
  metrics.setGlobalMeterProvider(meterProvider);

  let stopped: Promise<void> | undefined;
  return {
    selection,
    logger: logs.getLogger(INSTRUMENTATION_SCOPE),
    async forceFlush() {
      await Promise.all([
        tracerProvider.forceFlush(),
        loggerProvider.forceFlush(),
        meterProvider.forceFlush(),
      ]);
    },
    shutdown(timeoutMs = 5_000) {
      stopped ??= withTimeout(
        Promise.allSettled([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]),
        timeoutMs,
      ).finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
        metrics.disable();
        logs.disable();
      });
      return stopped;
    },
  };
}
