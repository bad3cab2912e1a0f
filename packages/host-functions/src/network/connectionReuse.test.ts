// Kept-alive connections: reused within one instance for the same origin and vetted addresses, never
// across instances, closed when the instance ends, and never a way around the address checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import { get, hostCall, invoke, loopbackPolicy, TEST_INSTANCE } from "../../test/network/support/harness.js";
import { reply, startHttpServer, type TestHttpServer } from "../../test/network/support/httpServer.js";
import { MAX_POOLED_CLIENTS } from "./internal/connectionPool.js";
import { ledgerOf } from "./internal/ledger.js";
import { NetworkHostFunctions } from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

let dns: TestDnsServer;
/** What `api.test` resolves to; a test switches it to simulate a changed DNS answer. */
let apiAddress = "127.0.0.1";
const servers: TestHttpServer[] = [];

beforeAll(async () => {
  dns = await startDnsServer((q) => {
    if (q.type === "A" && q.name === "api.test") return [{ type: "A", data: apiAddress }];
    if (q.name.endsWith(".test")) return [];
    return undefined;
  });
});
afterAll(async () => {
  await dns.close();
});
afterEach(async () => {
  apiAddress = "127.0.0.1";
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(host = "127.0.0.1", port = 0): Promise<TestHttpServer> {
  const s = await startHttpServer(reply("hi"), { host, port });
  servers.push(s);
  return s;
}

function registrar(ports: number[], maxResponseBytes = 64 * 1024) {
  const policy = loopbackPolicy(ports);
  policy.limits = { ...policy.limits, maxRequests: 100, maxResponseBytes };
  // HTTP requests resolve the name on every request (no cache), so a changed answer is seen at once.
  return NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
}

describe("kept-alive connections", () => {
  it("reuses one connection for consecutive requests of an instance to the same origin", async () => {
    const s = await server();
    const r = registrar([s.port]);
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (let i = 0; i < 5; i++) {
      expect(await invoke(r, "http_request", get(`${s.origin}/${i}`), call)).toMatchObject({
        Ok: { status: 200 },
      });
    }
    expect(s.requests.length).toBe(5);
    expect(s.connections).toBe(1);
  });

  it("never shares a connection between instances", async () => {
    const s = await server();
    const r = registrar([s.port]);
    for (let i = 0; i < 3; i++) {
      const call = hostCall(r.createState(TEST_INSTANCE));
      expect(await invoke(r, "http_request", get(`${s.origin}/`), call)).toMatchObject({
        Ok: { status: 200 },
      });
    }
    expect(s.connections).toBe(3);
  });

  it("closes the instance's connections when the instance ends", async () => {
    const s = await server();
    const r = registrar([s.port]);
    const end = new AbortController();
    const call = hostCall(r.createState(TEST_INSTANCE), end.signal);
    await invoke(r, "http_request", get(`${s.origin}/`), call);
    expect(s.openSockets).toBe(1);
    end.abort();
    await expect.poll(() => s.openSockets, { timeout: 2000 }).toBe(0);
    expect(ledgerOf(call.state)?.connections.size).toBe(0);
  });

  it("opens a new, re-checked connection when the name resolves to other addresses", async () => {
    const first = await server("127.0.0.1");
    const second = await server("127.0.0.2", first.port);
    const r = registrar([first.port]);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const url = `http://api.test:${first.port}/`;
    await invoke(r, "http_request", get(url), call);
    apiAddress = "127.0.0.2";
    await invoke(r, "http_request", get(url), call);
    expect(first.requests.length).toBe(1);
    expect(second.requests.length).toBe(1);
    expect(second.connections).toBe(1);
  });

  it("keeps at most MAX_POOLED_CLIENTS connections per instance", async () => {
    const many = await Promise.all(Array.from({ length: MAX_POOLED_CLIENTS + 2 }, () => server()));
    const r = registrar(many.map((s) => s.port));
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (const s of many) await invoke(r, "http_request", get(`${s.origin}/`), call);
    expect(ledgerOf(call.state)?.connections.size).toBe(MAX_POOLED_CLIENTS);
    // The least recently used were closed.
    await expect.poll(() => many[0]!.openSockets + many[1]!.openSockets, { timeout: 2000 }).toBe(0);
  });

  it("does not keep a connection whose response was cut at the body cap", async () => {
    const big = await startHttpServer((_req, res) => res.end("x".repeat(5000)));
    servers.push(big);
    const r = registrar([big.port], 1000);
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (let i = 0; i < 2; i++) {
      expect(await invoke(r, "http_request", get(`${big.origin}/`), call)).toMatchObject({
        Err: { LimitExceeded: expect.stringMatching(/response body too large/) },
      });
    }
    expect(big.connections).toBe(2);
    expect(ledgerOf(call.state)?.connections.size).toBe(0);
  });
});
