import type { Attributes, HrTime } from "@opentelemetry/api";
import type { LogAttributes } from "@opentelemetry/api-logs";
import type { LogRecordExporter, ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { DataPointType, type PushMetricExporter, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/** Where readable telemetry lines go: `process.stderr` by default, so `--json` stdout stays one object. */
export interface LineSink {
  write(chunk: string): unknown;
}

// ExportResultCode.SUCCESS of @opentelemetry/core (not a direct dependency here).
const SUCCESS = { code: 0 } as const;

function hrToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

function formatValue(value: unknown): string {
  if (typeof value === "string")
    return /^[\w.:/@-]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(",")}]`;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

function formatAttributes(attributes: Attributes | LogAttributes): string {
  const parts = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`);
  return parts.length === 0 ? "" : ` ${parts.join(" ")}`;
}

/**
 * Writes each finished span as one readable line:
 * `[span] <name> <ms>ms trace=… span=… parent=… status=… k=v …`.
 */
export class StreamSpanExporter implements SpanExporter {
  readonly #sink: LineSink;
  /** @param sink - where lines go (default stderr). */
  constructor(sink: LineSink = process.stderr) {
    this.#sink = sink;
  }
  /** Exports a batch of spans. */
  export(spans: ReadableSpan[], resultCallback: (result: typeof SUCCESS) => void): void {
    const lines = spans.map((span) => {
      const ctx = span.spanContext();
      const parent = span.parentSpanContext?.spanId ?? "-";
      const status =
        span.status.code === 2 ? `ERROR${span.status.message ? `(${span.status.message})` : ""}` : "OK";
      return `[span] ${span.name} ${hrToMs(span.duration).toFixed(2)}ms trace=${ctx.traceId} span=${ctx.spanId} parent=${parent} status=${formatValue(status)}${formatAttributes(span.attributes)}\n`;
    });
    this.#sink.write(lines.join(""));
    resultCallback(SUCCESS);
  }
  /** Nothing to release. */
  async shutdown(): Promise<void> {}
  /** Lines are written synchronously; nothing is buffered. */
  async forceFlush(): Promise<void> {}
}

/** Writes each log record as one readable line: `[log] <SEVERITY> <body> k=v …`. */
export class StreamLogRecordExporter implements LogRecordExporter {
  readonly #sink: LineSink;
  /** @param sink - where lines go (default stderr). */
  constructor(sink: LineSink = process.stderr) {
    this.#sink = sink;
  }
  /** Exports a batch of log records. */
  export(logs: ReadableLogRecord[], resultCallback: (result: typeof SUCCESS) => void): void {
    const lines = logs.map((record) => {
      const severity = record.severityText ?? String(record.severityNumber ?? "UNSPECIFIED");
      const body = typeof record.body === "string" ? record.body : formatValue(record.body);
      const trace = record.spanContext ? ` trace=${record.spanContext.traceId}` : "";
      return `[log] ${severity} ${JSON.stringify(body)}${trace}${formatAttributes(record.attributes)}\n`;
    });
    this.#sink.write(lines.join(""));
    resultCallback(SUCCESS);
  }
  /** Nothing to release. */
  async shutdown(): Promise<void> {}
  /** Lines are written synchronously; nothing is buffered. */
  async forceFlush(): Promise<void> {}
}

/** Writes each collected metric data point as one readable line: `[metric] <name>{k=v} = <value>`. */
export class StreamMetricExporter implements PushMetricExporter {
  readonly #sink: LineSink;
  /** @param sink - where lines go (default stderr). */
  constructor(sink: LineSink = process.stderr) {
    this.#sink = sink;
  }
  /** Exports one collection. */
  export(metrics: ResourceMetrics, resultCallback: (result: typeof SUCCESS) => void): void {
    const lines: string[] = [];
    for (const scope of metrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          const attrs = formatAttributes(point.attributes).trim().replaceAll(" ", ",");
          let value: string;
          if (metric.dataPointType === DataPointType.HISTOGRAM) {
            const h = point.value as { count: number; sum?: number; min?: number; max?: number };
            value = `count=${h.count} sum=${(h.sum ?? 0).toFixed(2)} min=${(h.min ?? 0).toFixed(2)} max=${(h.max ?? 0).toFixed(2)}`;
          } else {
            value = formatValue(point.value);
          }
          const unit = metric.descriptor.unit ? ` ${metric.descriptor.unit}` : "";
          lines.push(`[metric] ${metric.descriptor.name}{${attrs}} = ${value}${unit}\n`);
        }
      }
    }
    if (lines.length > 0) this.#sink.write(lines.join(""));
    resultCallback(SUCCESS);
  }
  /** Lines are written synchronously; nothing is buffered. */
  async forceFlush(): Promise<void> {}
  /** Nothing to release. */
  async shutdown(): Promise<void> {}
}
