// End-to-end: the built CLI exports OTLP/HTTP (JSON) to a loopback receiver chosen by the standard
// OTEL_EXPORTER_OTLP_ENDPOINT variable.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonOutput, requireBuilt, runCli } from "./helpers.js";

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
type KeyValue = { key: string; value: AnyValue };

const received: Record<string, unknown[]> = { "/v1/traces": [], "/v1/logs": [], "/v1/metrics": [] };
let receiver: Server;
let endpoint: string;

beforeAll(async () => {
  requireBuilt();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const list = received[request.url ?? ""];
      if (list !== undefined && (request.headers["content-type"] ?? "").includes("json")) {
        list.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

function attr(list: readonly KeyValue[] | undefined, key: string): unknown {
  const value = list?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue ?? value?.doubleValue;
}

describe("OTLP export", () => {
  it("sends spans, the guest log and metrics to the configured endpoint", async () => {
    const run = await runCli(
      ["evaluate", fixturePath("val-exec"), "--challenge-id", "otlp-challenge", "--json"],
      {
        env: {
          OTEL_SDK_DISABLED: "false",
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          VALIDATOR_ID: "otlp-validator",
        },
      },
    );
    expect(parseJsonOutput(run)).toMatchObject({ ok: true, output: { score: 7 } });
    // Console exporters are off when OTLP is selected: stderr carries no telemetry lines.
    expect(run.stderr).not.toContain("[span]");

    type Span = {
      name: string;
      spanId: string;
      parentSpanId?: string;
      traceId: string;
      attributes?: KeyValue[];
    };
    const resourceSpans = received["/v1/traces"]?.flatMap(
      (b) =>
        (b as { resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: Span[] }[] }[] })
          .resourceSpans,
    );
    expect(resourceSpans?.length).toBeGreaterThan(0);
    expect(attr(resourceSpans?.[0]?.resource.attributes, "service.name")).toBe("platform-wasm-validator");
    expect(attr(resourceSpans?.[0]?.resource.attributes, "validator.id")).toBe("otlp-validator");
    const all = resourceSpans?.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)) ?? [];
    const evaluation = all.find((s) => s.name === "validator.evaluate");
    const hostCall = all.find((s) => s.name === "platform_sandbox.sandbox_exec");
    expect(evaluation).toBeDefined();
    expect(hostCall?.traceId).toBe(evaluation?.traceId);
    const instance = all.find((s) => s.spanId === hostCall?.parentSpanId);
    expect(instance?.parentSpanId).toBe(evaluation?.spanId);

    type Log = { body?: AnyValue; attributes?: KeyValue[] };
    const logs = received["/v1/logs"]?.flatMap((b) =>
      (b as { resourceLogs: { scopeLogs: { logRecords: Log[] }[] }[] }).resourceLogs.flatMap((r) =>
        r.scopeLogs.flatMap((s) => s.logRecords),
      ),
    );
    const guest = logs?.find((l) => l.body?.stringValue === "val-exec about to call sandbox_exec");
    expect(attr(guest?.attributes, "challenge_id")).toBe("otlp-challenge");
    expect(attr(guest?.attributes, "validator_id")).toBe("otlp-validator");
    expect(attr(guest?.attributes, "source")).toBe("wasm");

    const metricNames = received["/v1/metrics"]?.flatMap((b) =>
      (
        b as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] }
      ).resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.name))),
    );
    expect(metricNames).toContain("validator.evaluations");
    expect(metricNames).toContain("validator.policy.denials");
  });

  it("writes readable console telemetry to stderr by default, keeping stdout one JSON object", async () => {
    const run = await runCli(["evaluate", fixturePath("val-success"), "--json"], {
      env: { OTEL_SDK_DISABLED: "false" },
    });
    expect(parseJsonOutput(run)).toMatchObject({ ok: true });
    expect(run.stderr).toMatch(/\[span\] validator\.evaluate [\d.]+ms trace=[0-9a-f]{32}/);
    expect(run.stderr).toMatch(/\[log\] INFO "val-success evaluating".*source=wasm/);
    expect(run.stderr).toMatch(/\[metric\] validator\.evaluations\{kind=evaluate,outcome=ok\} = 1/);
  });
});
