import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import {
  hostCall,
  invoke,
  loopbackPolicy,
  memoryAudit,
  TEST_INSTANCE,
} from "../../test/network/support/harness.js";
import { startHttpServer, type TestHttpServer } from "../../test/network/support/httpServer.js";
import { NetworkHostFunctions } from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

let dns: TestDnsServer;
let server: TestHttpServer;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  dns = await startDnsServer((q) =>
    q.type === "A" && q.name === "api.test" ? [{ type: "A", data: "127.0.0.1" }] : [],
  );
  server = await startHttpServer((req, res) => {
    if (req.url.startsWith("/start")) {
      res.writeHead(302, { location: "/end" });
      res.end();
      return;
    }
    res.writeHead(200, { "x-reply": "yes" });
    res.end("body!");
  });
});
afterAll(async () => {
  trace.disable();
  await Promise.all([dns.close(), server.close()]);
});

function setup(adjust: (p: ReturnType<typeof loopbackPolicy>) => void = () => undefined) {
  const policy = loopbackPolicy([server.port]);
  policy.audit = { enabled: true, logHeaders: false, logBodies: false, tags: { region: "test" } };
  adjust(policy);
  const audit = memoryAudit();
  let clock = 1_700_000_000_000;
  const r = NetworkHostFunctions.all(policy, {
    auditLogger: audit,
    resolver: createDnsResolver({ servers: [dns.address] }),
    now: () => clock++,
  });
  return { r, audit, call: hostCall(r.createState(TEST_INSTANCE)) };
}

describe("network audit trail", () => {
  it("records request, response, lookup and denial entries in order, with identity and tags", async () => {
    const { r, audit, call } = setup();
    await invoke(
      r,
      "http_get",
      { url: `http://api.test:${server.port}/start`, headers: { "x-secret": "s" } },
      call,
    );
    await invoke(r, "dns_resolve", { hostname: "api.test", record_type: "a" }, call);
    await invoke(r, "dns_resolve", { hostname: "api.test", record_type: "a" }, call); // cache hit: no lookup entry
    await invoke(r, "http_get", { url: "http://evil.example/", headers: {} }, call);
    const base = `http://api.test:${server.port}`;
    expect(audit.entries.map((e) => e.action)).toEqual([
      { type: "http_request", url: `${base}/start`, method: "get" },
      { type: "http_response", url: `${base}/start`, status: 302, bytes: 0 },
      { type: "http_request", url: `${base}/end`, method: "get" },
      { type: "http_response", url: `${base}/end`, status: 200, bytes: 5 },
      { type: "dns_lookup", hostname: "api.test", recordType: "a" },
      { type: "policy_denied", reason: expect.stringContaining("http://evil.example/") },
    ]);
    for (const entry of audit.entries) {
      expect(entry).toMatchObject({
        challengeId: "chal-1",
        validatorId: "val-1",
        instanceId: "inst-1",
        metadata: { region: "test" },
      });
    }
    const times = audit.entries.map((e) => e.timestamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("includes headers and bodies only when the policy says so", async () => {
    const { r, audit, call } = setup((p) => {
      p.audit.logHeaders = true;
      p.audit.logBodies = true;
    });
    await invoke(
      r,
      "http_post",
      { url: `http://127.0.0.1:${server.port}/end`, headers: { "x-h": "1" }, body: Buffer.from("req") },
      call,
    );
    const [request, response] = audit.entries.map((e) => e.action);
    expect(request).toMatchObject({ type: "http_request", headers: { "x-h": "1" } });
    expect(Buffer.from((request as { body: Uint8Array }).body).toString()).toBe("req");
    expect(response).toMatchObject({ type: "http_response", headers: { "x-reply": "yes" } });
    expect(Buffer.from((response as { body: Uint8Array }).body).toString()).toBe("body!");
  });

  it("writes nothing when audit is disabled, and a failing logger changes no result", async () => {
    const off = setup((p) => {
      p.audit.enabled = false;
    });
    await invoke(off.r, "http_get", { url: "http://evil.example/", headers: {} }, off.call);
    expect(off.audit.entries).toEqual([]);

    const policy = loopbackPolicy([server.port]);
    const r = NetworkHostFunctions.all(policy, {
      auditLogger: {
        record: () => {
          throw new Error("sink down");
        },
      },
    });
    const result = await invoke(
      r,
      "http_get",
      { url: `http://127.0.0.1:${server.port}/end`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE)),
    );
    expect(result).toMatchObject({ Ok: { status: 200 } });
  });

  it("emits a client span per hop under the host call's span, without URLs or headers", async () => {
    exporter.reset();
    const { r, call } = setup();
    await invoke(
      r,
      "http_get",
      { url: `http://api.test:${server.port}/start?token=secret`, headers: {} },
      call,
    );
    call.span.end();
    const spans = exporter.getFinishedSpans();
    const hops = spans.filter((s) => s.name === "HTTP GET");
    expect(hops).toHaveLength(2);
    expect(hops.map((s) => s.attributes["http.response.status_code"])).toEqual([302, 200]);
    expect(hops[0]?.attributes).toMatchObject({
      "server.address": "api.test",
      "network.peer.address": "127.0.0.1",
    });
    const parent = spans.find((s) => s.name === "host-call");
    expect(parent?.attributes).toMatchObject({
      "platform_network.import": "http_get",
      "platform_network.outcome": "ok",
    });
    for (const hop of hops) expect(hop.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain("secret");
  });
});
