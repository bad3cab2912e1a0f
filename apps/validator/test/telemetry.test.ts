// Telemetry captured with the SDK's in-memory exporters, in process: the span tree of one evaluation, the
// guest's log record and the validator's metrics.

import { copyFile, rm } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { InMemoryLogRecordExporter } from "@opentelemetry/sdk-logs";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmChallengeExecutor } from "../src/executor/executor.js";
import { ValidatorServer } from "../src/server/server.js";
import { setupTelemetry, type Telemetry } from "../src/telemetry/setup.js";
import { requireBuilt, tempDir } from "./helpers.js";

const spans = new InMemorySpanExporter();
const logRecords = new InMemoryLogRecordExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
let telemetry: Telemetry;
let executor: WasmChallengeExecutor;

beforeAll(async () => {
  requireBuilt();
  telemetry = await setupTelemetry({
    validatorId: "telemetry-validator",
    env: { OTEL_TRACES_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" },
    spanExporters: [spans],
    logExporters: [logRecords],
    metricReaders: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 }),
    ],
  });
  executor = new WasmChallengeExecutor({ validatorId: "telemetry-validator" });
  const result = await executor.executeEvaluation(fixturePath("val-exec"), {
    input: new TextEncoder().encode("submission"),
    challengeId: "challenge-telemetry",
  });
  expect(result.output).toEqual({ score: 7, valid: true, message: "exec attempted" });
  await expect(
    executor.executeEvaluation(fixturePath("val-trap"), {
      input: new Uint8Array(0),
      challengeId: "challenge-trap",
    }),
  ).rejects.toMatchObject({ code: "GUEST_TRAP" });
  await telemetry.forceFlush();
});

afterAll(async () => {
  await executor?.close();
  await telemetry?.shutdown();
});

function ancestors(span: ReadableSpan, all: readonly ReadableSpan[]): ReadableSpan[] {
  const chain: ReadableSpan[] = [];
  let parentId = span.parentSpanContext?.spanId;
  while (parentId !== undefined) {
    const parent = all.find((s) => s.spanContext().spanId === parentId);
    if (parent === undefined) break;
    chain.push(parent);
    parentId = parent.parentSpanContext?.spanId;
  }
  return chain;
}

function metricPoints(name: string): { attributes: Record<string, unknown>; value: unknown }[] {
  const collections: ResourceMetrics[] = metricExporter.getMetrics();
  const last = collections.at(-1);
  const points: { attributes: Record<string, unknown>; value: unknown }[] = [];
  for (const scope of last?.scopeMetrics ?? []) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints)
        points.push({ attributes: point.attributes, value: point.value });
    }
  }
  return points;
}

describe("telemetry of an evaluation", () => {
  it("nests the host-call span under the evaluation span", () => {
    const finished = spans.getFinishedSpans();
    const evaluation = finished.find(
      (s) => s.name === "validator.evaluate" && s.attributes.challenge_id === "challenge-telemetry",
    );
    expect(evaluation).toBeDefined();
    expect(evaluation?.attributes).toMatchObject({
      "validator.id": "telemetry-validator",
      "evaluation.valid": true,
    });
    expect(evaluation?.resource.attributes).toMatchObject({
      "service.name": "platform-wasm-validator",
      "validator.id": "telemetry-validator",
    });
    const hostCall = finished.find((s) => s.name === "platform_sandbox.sandbox_exec");
    expect(hostCall).toBeDefined();
    const chain = ancestors(hostCall as ReadableSpan, finished);
    expect(chain.map((s) => s.name)).toContain("validator.evaluate");
    expect(chain.find((s) => s.name === "validator.evaluate")?.spanContext().spanId).toBe(
      evaluation?.spanContext().spanId,
    );
    expect(hostCall?.spanContext().traceId).toBe(evaluation?.spanContext().traceId);
  });

  it("marks a failed evaluation span with the error code", () => {
    const failed = spans
      .getFinishedSpans()
      .find((s) => s.name === "validator.evaluate" && s.attributes.challenge_id === "challenge-trap");
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes["error.code"]).toBe("GUEST_TRAP");
  });

  it("records the guest's log message with its attributes", () => {
    const record = logRecords
      .getFinishedLogRecords()
      .find((r) => r.body === "val-exec about to call sandbox_exec");
    expect(record).toBeDefined();
    expect(record?.severityText).toBe("WARN");
    expect(record?.attributes).toMatchObject({
      challenge_id: "challenge-telemetry",
      validator_id: "telemetry-validator",
      source: "wasm",
    });
  });

  it("logs a failed evaluation as an app record in its trace", () => {
    const failed = spans
      .getFinishedSpans()
      .find((s) => s.name === "validator.evaluate" && s.attributes.challenge_id === "challenge-trap");
    const record = logRecords
      .getFinishedLogRecords()
      .find((r) => String(r.body).startsWith("evaluate failed: GUEST_TRAP"));
    expect(record?.attributes).toMatchObject({
      source: "validator",
      "error.code": "GUEST_TRAP",
      challenge_id: "challenge-trap",
      validator_id: "telemetry-validator",
    });
    expect(record?.spanContext?.traceId).toBe(failed?.spanContext().traceId);
  });

  it("counts evaluations, traps and the denied exec", () => {
    const evaluations = metricPoints("validator.evaluations");
    expect(evaluations).toContainEqual({ attributes: { kind: "evaluate", outcome: "ok" }, value: 1 });
    expect(evaluations).toContainEqual({
      attributes: { kind: "evaluate", outcome: "error", "error.code": "GUEST_TRAP" },
      value: 1,
    });
    expect(metricPoints("validator.traps")).toContainEqual({
      attributes: { "error.code": "GUEST_TRAP" },
      value: 1,
    });
    expect(metricPoints("validator.policy.denials")).toContainEqual({
      attributes: { namespace: "platform_sandbox" },
      value: 1,
    });
    const durations = metricPoints("validator.evaluation.duration");
    expect(durations.length).toBeGreaterThan(0);
  });
});

describe("telemetry of a service request", () => {
  it("continues the caller's trace: SERVER span → evaluation span → host-call span", async () => {
    const dir = await tempDir("telemetry-serve");
    await copyFile(fixturePath("val-exec"), path.join(dir, "val-exec.wasm"));
    const served = new WasmChallengeExecutor({ validatorId: "telemetry-validator", moduleDir: dir });
    const server = new ValidatorServer({ executor: served, port: 0 });
    const { port } = await server.listen();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpanId = "00f067aa0ba902b7";
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: "/v1/evaluate",
            headers: { "content-type": "application/json", traceparent: `00-${traceId}-${callerSpanId}-01` },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ module: "val-exec.wasm", input: "", challenge_id: "served-challenge" }));
      });
      expect(status).toBe(200);
    } finally {
      await server.close();
      await served.close();
      await rm(dir, { recursive: true, force: true });
    }
    await telemetry.forceFlush();
    const inTrace = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const serverSpan = inTrace.find((s) => s.name === "POST /v1/evaluate");
    expect(serverSpan?.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(serverSpan?.attributes["http.response.status_code"]).toBe(200);
    const evaluation = inTrace.find((s) => s.name === "validator.evaluate");
    expect(evaluation?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
    expect(evaluation?.attributes.challenge_id).toBe("served-challenge");
    const hostCall = inTrace.find((s) => s.name === "platform_sandbox.sandbox_exec");
    expect(ancestors(hostCall as ReadableSpan, inTrace).map((s) => s.name)).toEqual([
      "wasm.instance",
      "validator.evaluate",
      "POST /v1/evaluate",
    ]);
  });

  it("refuses to serve an executor without a module directory", () => {
    expect(() => new ValidatorServer({ executor, port: 0 })).toThrow(/moduleDir/);
  });
});
