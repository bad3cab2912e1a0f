import type { NetworkPolicy } from "@platform-wasm/policy";
import { afterEach, describe, expect, it } from "vitest";
import {
  errKind,
  get,
  hostCall,
  invoke,
  loopbackPolicy,
  memoryAudit,
  TEST_INSTANCE,
} from "../../test/network/support/harness.js";
import { reply, startHttpServer, type TestHttpServer } from "../../test/network/support/httpServer.js";
import { NetworkHostFunctions, type NetworkHostFunctionsOptions } from "./networkHostFunctions.js";

const servers: TestHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const noResolver = {
  resolve: () => Promise.reject(new Error("these tests use literal addresses only")),
};

function registrar(policy: NetworkPolicy, options: NetworkHostFunctionsOptions = {}) {
  return NetworkHostFunctions.all(policy, { resolver: noResolver, ...options });
}

/** A server where `/r/N` redirects to `/r/N-1` and `/r/0` answers 200. */
async function chainServer(status = 302): Promise<TestHttpServer> {
  const server = await startHttpServer((req, res) => {
    const match = /^\/r\/(\d+)$/.exec(req.url);
    const n = match ? Number(match[1]) : 0;
    if (n > 0) {
      res.writeHead(status, { location: `/r/${n - 1}` });
      res.end();
      return;
    }
    res.writeHead(200, { "x-method": req.method, "x-auth": String(req.headers.authorization ?? "") });
    res.end(req.body);
  });
  servers.push(server);
  return server;
}

describe("redirects followed by the host, hop by hop", () => {
  it("follows a chain within maxRedirects", async () => {
    const server = await chainServer();
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRedirects = 2;
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const result = await invoke(r, "http_get", { url: `${server.origin}/r/2`, headers: {} }, call);
    expect(result).toMatchObject({ Ok: { status: 200 } });
    expect(server.requests.map((q) => q.url)).toEqual(["/r/2", "/r/1", "/r/0"]);
    expect(call.state.requestsMade).toBe(1);
  });

  it("refuses a chain beyond maxRedirects and never sends the extra hop", async () => {
    const server = await chainServer();
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRedirects = 2;
    const r = registrar(policy);
    const result = await invoke(
      r,
      "http_get",
      { url: `${server.origin}/r/3`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE)),
    );
    expect(result).toEqual({ Err: { LimitExceeded: "too many redirects: more than 2" } });
    expect(server.requests.map((q) => q.url)).toEqual(["/r/3", "/r/2", "/r/1"]);
  });

  it("hands the 3xx back to the guest when maxRedirects is 0", async () => {
    const server = await chainServer();
    const policy = loopbackPolicy([server.port]);
    policy.limits.maxRedirects = 0;
    const r = registrar(policy);
    const result = await invoke(
      r,
      "http_get",
      { url: `${server.origin}/r/1`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE)),
    );
    expect(result).toMatchObject({ Ok: { status: 302, headers: { location: "/r/0" } } });
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a redirect from an allowed host to a blocked address, which is never contacted", async () => {
    const blocked = await startHttpServer(reply("internal"), { host: "127.0.0.2" });
    servers.push(blocked);
    const front = await startHttpServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${blocked.port}/secret` });
      res.end();
    });
    servers.push(front);
    const policy = loopbackPolicy([front.port, blocked.port], ["127.0.0.1", "127.0.0.2"]);
    policy.allowedIpRanges = ["127.0.0.1/32"];
    policy.dnsPolicy.blockPrivateRanges = false;
    const audit = memoryAudit();
    const r = registrar(policy, { auditLogger: audit });
    const result = await invoke(
      r,
      "http_get",
      { url: `${front.origin}/`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE)),
    );
    expect(errKind(result)).toBe("PolicyViolation");
    expect(blocked.connections).toBe(0);
    expect(audit.entries.map((e) => e.action.type)).toEqual([
      "http_request",
      "http_response",
      "policy_denied",
    ]);
  });

  it("re-checks host, scheme and port on each hop", async () => {
    const other = await chainServer();
    const front = await startHttpServer((req, res) => {
      const to: Record<string, string> = {
        "/host": `http://elsewhere.test:${other.port}/r/0`,
        "/scheme": `https://127.0.0.1:${other.port}/r/0`,
        "/port": `http://127.0.0.1:${other.port}/r/0`,
        "/junk": "http://[::zz]/",
      };
      res.writeHead(301, { location: to[req.url] ?? "/" });
      res.end();
    });
    servers.push(front);
    const policy = loopbackPolicy([front.port], ["127.0.0.1"]);
    policy.http.allowedSchemes = ["http"];
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (const path of ["/host", "/scheme", "/port"]) {
      expect(errKind(await invoke(r, "http_get", { url: `${front.origin}${path}`, headers: {} }, call))).toBe(
        "PolicyViolation",
      );
    }
    expect(errKind(await invoke(r, "http_get", { url: `${front.origin}/junk`, headers: {} }, call))).toBe(
      "HttpFailure",
    );
    expect(other.connections).toBe(0);
  });

  it("turns POST into a body-less GET on 303 and keeps method and body on 307", async () => {
    const see = await chainServer(303);
    const temp = await chainServer(307);
    const policy = loopbackPolicy([see.port, temp.port]);
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const post = (url: string) =>
      invoke(
        r,
        "http_post",
        { url, headers: { "content-type": "text/plain" }, body: Buffer.from("data") },
        call,
      );
    const viaSee = await post(`${see.origin}/r/1`);
    expect(viaSee).toMatchObject({ Ok: { status: 200, headers: { "x-method": "GET" } } });
    expect(see.requests[1]?.body.length).toBe(0);
    expect(see.requests[1]?.headers["content-type"]).toBeUndefined();
    const viaTemp = await post(`${temp.origin}/r/1`);
    expect(viaTemp).toMatchObject({ Ok: { status: 200, headers: { "x-method": "POST" } } });
    expect(temp.requests[1]?.body.toString()).toBe("data");
  });

  it("drops credentials when a redirect leaves the origin, keeps them within it", async () => {
    const target = await chainServer();
    const front = await startHttpServer((req, res) => {
      if (req.url === "/ok") {
        res.writeHead(200, { "x-auth": String(req.headers.authorization ?? "") });
        res.end();
        return;
      }
      res.writeHead(302, { location: req.url === "/same" ? "/ok" : `${target.origin}/r/0` });
      res.end();
    });
    servers.push(front);
    const r = registrar(loopbackPolicy([front.port, target.port]));
    const call = hostCall(r.createState(TEST_INSTANCE));
    const cross = await invoke(
      r,
      "http_get",
      { url: `${front.origin}/cross`, headers: { authorization: "Bearer t" } },
      call,
    );
    expect(errKind(cross)).toBeUndefined();
    expect(target.requests[0]?.headers.authorization).toBeUndefined();
    const same = await invoke(
      r,
      "http_request",
      get(`${front.origin}/same`, { Authorization: "Bearer t" }),
      call,
    );
    expect(same).toMatchObject({ Ok: { status: 200, headers: { "x-auth": "Bearer t" } } });
  });
});
