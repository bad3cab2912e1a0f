import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import {
  errKind,
  get,
  hostCall,
  invoke,
  loopbackPolicy,
  memoryAudit,
  TEST_INSTANCE,
} from "../../test/network/support/harness.js";
import {
  reply,
  startHttpServer,
  TEST_TLS,
  type TestHttpServer,
} from "../../test/network/support/httpServer.js";
import { NetworkHostFunctions, type NetworkHostFunctionsOptions } from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

let dns: TestDnsServer;
let server: TestHttpServer;
const extra: TestHttpServer[] = [];

beforeAll(async () => {
  dns = await startDnsServer((q) => {
    if (q.type === "A" && q.name.endsWith(".test")) return [{ type: "A", data: "127.0.0.1" }];
    if (q.name.endsWith(".test")) return [];
    return undefined;
  });
  server = await startHttpServer((req, res) => {
    if (req.url === "/echo") {
      res.writeHead(200, { "content-type": "application/octet-stream", "x-method": req.method });
      res.end(req.body);
      return;
    }
    if (req.url === "/dupes") {
      res.setHeader("X-Multi", ["a", "b"]);
      res.setHeader("Set-Cookie", ["c=1", "d=2"]);
      res.end("d");
      return;
    }
    reply("hello")(req, res);
  });
});
afterAll(async () => {
  await Promise.all([dns.close(), server.close()]);
});
afterEach(async () => {
  await Promise.all(extra.splice(0).map((s) => s.close()));
});

function registrar(policy = loopbackPolicy([server.port]), options: NetworkHostFunctionsOptions = {}) {
  return NetworkHostFunctions.all(policy, {
    resolver: createDnsResolver({ servers: [dns.address] }),
    ...options,
  });
}

function fresh(r: NetworkHostFunctions) {
  return hostCall(r.createState(TEST_INSTANCE));
}

describe("platform_network HTTP imports against loopback servers", () => {
  it("http_request to an allowed literal host succeeds", async () => {
    const r = registrar();
    const call = fresh(r);
    const result = await invoke(r, "http_request", get(`${server.origin}/`), call);
    expect(result).toMatchObject({ Ok: { status: 200, headers: { "content-type": "text/plain" } } });
    expect(Buffer.from((result as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("hello");
    expect(call.state.requestsMade).toBe(1);
  });

  it("http_get and http_post work, with the method and body the guest chose", async () => {
    const r = registrar();
    const call = fresh(r);
    const got = await invoke(r, "http_get", { url: `${server.origin}/echo`, headers: {} }, call);
    expect(got).toMatchObject({ Ok: { status: 200, headers: { "x-method": "GET" } } });
    const posted = await invoke(
      r,
      "http_post",
      {
        url: `${server.origin}/echo`,
        headers: { "content-type": "text/plain" },
        body: Buffer.from("payload"),
      },
      call,
    );
    expect(posted).toMatchObject({ Ok: { status: 200, headers: { "x-method": "POST" } } });
    expect(Buffer.from((posted as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("payload");
    const put = await invoke(
      r,
      "http_request",
      { method: "put", url: `${server.origin}/echo`, headers: {}, body: Buffer.from("x") },
      call,
    );
    expect(put).toMatchObject({ Ok: { headers: { "x-method": "PUT" } } });
    const head = await invoke(
      r,
      "http_request",
      { method: "head", url: `${server.origin}/`, headers: {}, body: new Uint8Array() },
      call,
    );
    expect(head).toMatchObject({ Ok: { status: 200 } });
    expect((head as { Ok: { body: Uint8Array } }).Ok.body.byteLength).toBe(0);
  });

  it("returns response headers as a lowercase map with repeats joined by ', '", async () => {
    const r = registrar();
    const result = await invoke(r, "http_get", { url: `${server.origin}/dupes`, headers: {} }, fresh(r));
    expect(result).toMatchObject({ Ok: { headers: { "x-multi": "a, b", "set-cookie": "c=1, d=2" } } });
  });

  it("resolves a host name through the configured resolver and keeps the Host header", async () => {
    const r = registrar();
    const result = await invoke(
      r,
      "http_get",
      { url: `http://api.test:${server.port}/`, headers: {} },
      fresh(r),
    );
    expect(errKind(result)).toBeUndefined();
    expect(server.requests.at(-1)?.headers.host).toBe(`api.test:${server.port}`);
    expect(dns.queries.some((q) => q.name === "api.test")).toBe(true);
  });

  it("refuses a host the policy does not name, without resolving or connecting", async () => {
    const r = registrar(loopbackPolicy([server.port], ["api.test"]));
    const before = { queries: dns.queries.length, connections: server.connections };
    const result = await invoke(
      r,
      "http_get",
      { url: `http://evil.test:${server.port}/`, headers: {} },
      fresh(r),
    );
    expect(errKind(result)).toBe("PolicyViolation");
    expect(dns.queries.length).toBe(before.queries);
    expect(server.connections).toBe(before.connections);
  });

  it("refuses a scheme and a port outside the policy", async () => {
    const policy = loopbackPolicy([server.port]);
    policy.http.allowedSchemes = ["https"];
    const r = registrar(policy);
    const before = server.connections;
    expect(errKind(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, fresh(r)))).toBe(
      "PolicyViolation",
    );
    const r2 = registrar(loopbackPolicy([server.port + 1 === 65536 ? 1 : server.port + 1]));
    expect(errKind(await invoke(r2, "http_get", { url: `${server.origin}/`, headers: {} }, fresh(r2)))).toBe(
      "PolicyViolation",
    );
    expect(server.connections).toBe(before);
  });

  it("answers NetworkDisabled when the policy's internet switch is off", async () => {
    const policy = loopbackPolicy([server.port]);
    policy.allowInternet = false;
    const r = registrar(policy);
    expect(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, fresh(r))).toEqual({
      Err: "NetworkDisabled",
    });
  });

  it.each([
    "Host",
    "connection",
    "Transfer-Encoding",
    "content-length",
    "proxy-authorization",
    "Proxy-Connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "expect",
  ])("refuses the host-owned header %s", async (name) => {
    const r = registrar();
    const before = server.requests.length;
    const result = await invoke(
      r,
      "http_get",
      { url: `${server.origin}/`, headers: { [name]: "x" } },
      fresh(r),
    );
    expect(result).toEqual({
      Err: {
        PolicyViolation: `header ${JSON.stringify(name.toLowerCase())} is set by the host, not the guest`,
      },
    });
    expect(server.requests.length).toBe(before);
  });

  it("refuses header injection and malformed header names as InvalidRequest", async () => {
    const r = registrar();
    const call = fresh(r);
    for (const headers of [
      { "x-a": "1\r\nHost: evil" },
      { "bad name": "1" },
      { "x-nul": "a\u0000b" },
      { "x-wide": "\u2028" },
    ]) {
      expect(errKind(await invoke(r, "http_get", { url: `${server.origin}/`, headers }, call))).toBe(
        "InvalidRequest",
      );
    }
    expect(call.state.requestsMade).toBe(0);
  });

  it("enforces maxRequestBytes and maxHeaderBytes before sending", async () => {
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRequestBytes = 10;
    policy.limits.maxHeaderBytes = 400;
    const r = registrar(policy);
    const before = server.requests.length;
    const call = fresh(r);
    expect(
      await invoke(
        r,
        "http_post",
        { url: `${server.origin}/echo`, headers: {}, body: new Uint8Array(11) },
        call,
      ),
    ).toEqual({ Err: { LimitExceeded: "request body too large: 11 > 10" } });
    expect(
      errKind(
        await invoke(
          r,
          "http_post",
          { url: `${server.origin}/echo`, headers: {}, body: new Uint8Array(10) },
          call,
        ),
      ),
    ).toBeUndefined();
    // name + value = 1 + 399 = 400 bytes: at the limit passes, one more byte does not.
    expect(
      errKind(
        await invoke(r, "http_get", { url: `${server.origin}/`, headers: { x: "v".repeat(399) } }, call),
      ),
    ).toBeUndefined();
    expect(
      await invoke(r, "http_get", { url: `${server.origin}/`, headers: { x: "v".repeat(400) } }, call),
    ).toEqual({
      Err: { LimitExceeded: "header size exceeds limit: more than 400 bytes" },
    });
    // Only the two admitted requests reached the server.
    expect(server.requests.length).toBe(before + 2);
  });

  it("cuts a response that streams forever at maxResponseBytes", async () => {
    const endless = await startHttpServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(32 * 1024, 0x7a);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    extra.push(endless);
    const policy = loopbackPolicy([endless.port]);
    policy.limits.maxResponseBytes = 200_000;
    const r = registrar(policy);
    const started = Date.now();
    const result = await invoke(r, "http_get", { url: `${endless.origin}/`, headers: {} }, fresh(r));
    expect(result).toEqual({ Err: { LimitExceeded: "response body too large: exceeded 200000 bytes" } });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    const big = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000000" });
      res.write(Buffer.alloc(10));
    });
    extra.push(big);
    const policy = loopbackPolicy([big.port]);
    policy.limits.maxResponseBytes = 1000;
    const r = registrar(policy);
    expect(errKind(await invoke(r, "http_get", { url: `${big.origin}/`, headers: {} }, fresh(r)))).toBe(
      "LimitExceeded",
    );
  });

  it("refuses response headers over maxHeaderBytes", async () => {
    const noisy = await startHttpServer(reply("x", { "x-big": "y".repeat(600) }));
    extra.push(noisy);
    const policy = loopbackPolicy([noisy.port]);
    policy.limits.maxHeaderBytes = 500;
    const r = registrar(policy);
    expect(errKind(await invoke(r, "http_get", { url: `${noisy.origin}/`, headers: {} }, fresh(r)))).toBe(
      "LimitExceeded",
    );
  });

  it("answers Timeout when the server never answers", async () => {
    const silent = await startHttpServer(() => undefined);
    extra.push(silent);
    const policy = loopbackPolicy([silent.port]);
    policy.limits.timeoutMs = 300;
    const r = registrar(policy);
    const started = Date.now();
    expect(await invoke(r, "http_get", { url: `${silent.origin}/`, headers: {} }, fresh(r))).toEqual({
      Err: "Timeout",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("bounds the whole exchange, not each read: a slow trickle still times out", async () => {
    const trickle = await startHttpServer((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write("x")), 50);
      res.on("close", () => clearInterval(timer));
    });
    extra.push(trickle);
    const policy = loopbackPolicy([trickle.port]);
    policy.limits.timeoutMs = 400;
    const r = registrar(policy);
    const started = Date.now();
    expect(await invoke(r, "http_get", { url: `${trickle.origin}/`, headers: {} }, fresh(r))).toEqual({
      Err: "Timeout",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("cancels the request when the host call's signal aborts", async () => {
    const silent = await startHttpServer(() => undefined);
    extra.push(silent);
    const policy = loopbackPolicy([silent.port]);
    policy.limits.timeoutMs = 10_000;
    const r = registrar(policy);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("deadline")), 100);
    const started = Date.now();
    const result = await invoke(
      r,
      "http_get",
      { url: `${silent.origin}/`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE), controller.signal),
    );
    expect(result).toEqual({ Err: { HttpFailure: "request cancelled by the host" } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("enforces the per-instance request budget (maxRequests)", async () => {
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRequests = 2;
    const audit = memoryAudit();
    const r = registrar(policy, { auditLogger: audit });
    const call = fresh(r);
    const before = server.requests.length;
    for (let i = 0; i < 2; i++)
      expect(
        errKind(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, call)),
      ).toBeUndefined();
    expect(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, call)).toEqual({
      Err: { LimitExceeded: "http request limit exceeded" },
    });
    expect(server.requests.length).toBe(before + 2);
    expect(call.state.requestsMade).toBe(2);
    expect(audit.entries.at(-1)?.action).toEqual({
      type: "policy_denied",
      reason: "http request limit exceeded: 2/2",
    });
    // Another instance has its own budget.
    expect(
      errKind(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, fresh(r))),
    ).toBeUndefined();
    call.state.resetCounters();
    expect(
      errKind(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, call)),
    ).toBeUndefined();
  });

  it("maxRequests 0 disables HTTP", async () => {
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRequests = 0;
    const r = registrar(policy);
    expect(await invoke(r, "http_get", { url: `${server.origin}/`, headers: {} }, fresh(r))).toEqual({
      Err: { LimitExceeded: "http requests disabled" },
    });
  });

  it("verifies TLS certificates against the URL's host name while connecting to the checked address", async () => {
    const tls = await startHttpServer(reply("secure"), { tls: true });
    extra.push(tls);
    const policy = loopbackPolicy([tls.port]);
    const trusted = registrar(policy, { tlsCa: TEST_TLS.cert });
    const ok = await invoke(
      trusted,
      "http_get",
      { url: `https://api.test:${tls.port}/`, headers: {} },
      fresh(trusted),
    );
    expect(ok).toMatchObject({ Ok: { status: 200 } });
    const mismatch = await invoke(
      trusted,
      "http_get",
      { url: `https://other.test:${tls.port}/`, headers: {} },
      fresh(trusted),
    );
    expect(errKind(mismatch)).toBe("HttpFailure");
    const untrusted = registrar(policy);
    expect(
      errKind(
        await invoke(
          untrusted,
          "http_get",
          { url: `https://api.test:${tls.port}/`, headers: {} },
          fresh(untrusted),
        ),
      ),
    ).toBe("HttpFailure");
  });

  it("reports a refused connection as HttpFailure", async () => {
    const gone = await startHttpServer(reply());
    await gone.close();
    const r = registrar(loopbackPolicy([gone.port]));
    expect(errKind(await invoke(r, "http_get", { url: `${gone.origin}/`, headers: {} }, fresh(r)))).toBe(
      "HttpFailure",
    );
  });

  it("reports an unresolvable name as DnsFailure", async () => {
    const policy = loopbackPolicy([server.port], ["*"]);
    const r = registrar(policy);
    expect(
      errKind(
        await invoke(r, "http_get", { url: `http://nowhere.invalid:${server.port}/`, headers: {} }, fresh(r)),
      ),
    ).toBe("DnsFailure");
  });
});
