import { describe, expect, it } from "vitest";
import { selectExporters } from "./exporterSelection.js";

describe("selectExporters", () => {
  it("defaults to console for every signal", () => {
    expect(selectExporters({})).toEqual({ traces: ["console"], logs: ["console"], metrics: ["console"] });
  });

  it("selects OTLP when an endpoint is configured", () => {
    expect(selectExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toEqual({
      traces: ["otlp"],
      logs: ["otlp"],
      metrics: ["otlp"],
    });
    expect(
      selectExporters({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }),
    ).toEqual({
      traces: ["otlp"],
      logs: ["console"],
      metrics: ["console"],
    });
  });

  it("honours the per-signal selectors, lists and none", () => {
    expect(
      selectExporters({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
        OTEL_TRACES_EXPORTER: "console, otlp",
        OTEL_LOGS_EXPORTER: "none",
        OTEL_METRICS_EXPORTER: "zipkin",
      }),
    ).toEqual({ traces: ["console", "otlp"], logs: ["none"], metrics: ["none"] });
  });

  it("turns everything off with OTEL_SDK_DISABLED", () => {
    expect(selectExporters({ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" })).toEqual({
      traces: ["none"],
      logs: ["none"],
      metrics: ["none"],
    });
  });
});
