import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type DnsQuestion,
  startDnsServer,
  type TestDnsServer,
} from "../../test/network/support/dnsServer.js";
import {
  errKind,
  hostCall,
  invoke,
  loopbackPolicy,
  TEST_INSTANCE,
} from "../../test/network/support/harness.js";
import { reply, startHttpServer, type TestHttpServer } from "../../test/network/support/httpServer.js";
import { NetworkHostFunctions } from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

let dns: TestDnsServer;
let answers: (q: DnsQuestion) => string[] = () => [];
const servers: TestHttpServer[] = [];

beforeAll(async () => {
  dns = await startDnsServer((q) => {
    if (q.type === "AAAA" && q.name === "six.test") return [{ type: "AAAA" as const, data: "::1" }];
    if (q.type !== "A") return [];
    return answers(q).map((data) => ({ type: "A" as const, data }));
  });
});
afterAll(() => dns.close());
afterEach(async () => {
  answers = () => [];
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The same port on 127.0.0.1 (allowed) and 127.0.0.2 (blocked by allowedIpRanges). */
async function twinServers(): Promise<{ good: TestHttpServer; bad: TestHttpServer }> {
  const good = await startHttpServer(reply("good"));
  const bad = await startHttpServer(reply("bad"), { host: "127.0.0.2", port: good.port });
  servers.push(good, bad);
  return { good, bad };
}

function onlyLoopbackOne(port: number) {
  const policy = loopbackPolicy([port], ["*.test"]);
  policy.allowedIpRanges = ["127.0.0.1/32"];
  policy.dnsPolicy.blockPrivateRanges = false;
  return NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
}

describe("connections go only to the address that was checked", () => {
  it("a name whose answer changes between lookups never reaches the blocked address", async () => {
    const { good, bad } = await twinServers();
    let asked = 0;
    answers = (q) => (q.name === "rebind.test" ? [asked++ === 0 ? "127.0.0.1" : "127.0.0.2"] : []);
    const r = onlyLoopbackOne(good.port);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const first = await invoke(r, "http_get", { url: `http://rebind.test:${good.port}/`, headers: {} }, call);
    expect(first).toMatchObject({ Ok: { status: 200 } });
    expect(Buffer.from((first as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("good");
    for (let i = 0; i < 3; i++) {
      const again = await invoke(
        r,
        "http_get",
        { url: `http://rebind.test:${good.port}/`, headers: {} },
        call,
      );
      expect(errKind(again)).toBe("PolicyViolation");
    }
    expect(good.connections).toBe(1);
    expect(bad.connections).toBe(0);
    // Exactly one A query per request: the host resolves once and connects to that answer.
    expect(dns.queries.filter((q) => q.name === "rebind.test" && q.type === "A")).toHaveLength(4);
  });

  it("refuses a name when any of its addresses is blocked, and connects nowhere", async () => {
    const { good, bad } = await twinServers();
    answers = (q) => (q.name === "mixed.test" ? ["127.0.0.1", "127.0.0.2"] : []);
    const r = onlyLoopbackOne(good.port);
    const result = await invoke(
      r,
      "http_get",
      { url: `http://mixed.test:${good.port}/`, headers: {} },
      hostCall(r.createState(TEST_INSTANCE)),
    );
    expect(errKind(result)).toBe("PolicyViolation");
    expect(good.connections + bad.connections).toBe(0);
  });

  it("refuses a literal address outside allowedIpRanges without connecting", async () => {
    const { good, bad } = await twinServers();
    const policy = loopbackPolicy([good.port], ["127.0.0.2", "127.0.0.1"]);
    policy.allowedIpRanges = ["127.0.0.1/32"];
    const r = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
    const call = hostCall(r.createState(TEST_INSTANCE));
    expect(
      errKind(await invoke(r, "http_get", { url: `http://127.0.0.2:${good.port}/`, headers: {} }, call)),
    ).toBe("PolicyViolation");
    expect(
      errKind(await invoke(r, "http_get", { url: `http://127.0.0.1:${good.port}/`, headers: {} }, call)),
    ).toBeUndefined();
    expect(bad.connections).toBe(0);
  });

  it("connects over IPv6 to a checked AAAA answer and to an allowed IPv6 literal", async () => {
    const v6 = await startHttpServer(reply("six"), { host: "::1" }).catch(() => undefined);
    if (v6 === undefined) {
      // No IPv6 loopback on this host: the decision side is still covered below.
      const r = onlyLoopbackOne(8080);
      expect(r.policy.isHttpRequestAllowed("http://[::1]:8080/").allowed).toBe(false);
      return;
    }
    servers.push(v6);
    const policy = loopbackPolicy([v6.port], ["*.test", "::1"]);
    policy.allowedIpRanges = ["::1/128"];
    const r = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
    const call = hostCall(r.createState(TEST_INSTANCE));
    const byName = await invoke(r, "http_get", { url: `http://six.test:${v6.port}/`, headers: {} }, call);
    expect(Buffer.from((byName as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("six");
    const literal = await invoke(r, "http_get", { url: `http://[::1]:${v6.port}/`, headers: {} }, call);
    expect(literal).toMatchObject({ Ok: { status: 200 } });
    expect(v6.requests.map((q) => q.headers.host)).toEqual([`six.test:${v6.port}`, `[::1]:${v6.port}`]);
  });

  describe("under blockPrivateRanges, every spelling of loopback is refused", () => {
    const spellings = (port: number) => [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://127.0.0.1.:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://[::127.0.0.1]:${port}/`,
      `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
      `http://loopback.test:${port}/`,
    ];

    it("as decisions", () => {
      const policy = loopbackPolicy([8080], ["*"]);
      policy.dnsPolicy.blockPrivateRanges = true;
      const r = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
      for (const url of spellings(8080).filter((u) => !u.includes(".test"))) {
        expect(r.policy.isHttpRequestAllowed(url).allowed, url).toBe(false);
      }
    });

    it("as attempts that never reach the listening server", async () => {
      const v4 = await startHttpServer(reply("reached"));
      servers.push(v4);
      const v6 = await startHttpServer(reply("reached"), { host: "::1", port: v4.port }).catch(
        () => undefined,
      );
      if (v6) servers.push(v6);
      answers = (q) => (q.name === "loopback.test" ? ["127.0.0.1"] : []);
      const policy = loopbackPolicy([v4.port], ["*"]);
      policy.dnsPolicy.blockPrivateRanges = true;
      const r = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
      const call = hostCall(r.createState(TEST_INSTANCE));
      for (const url of spellings(v4.port)) {
        call.state.resetCounters();
        const result = await invoke(r, "http_get", { url, headers: {} }, call);
        expect(errKind(result), url).toBe("PolicyViolation");
      }
      expect(v4.connections).toBe(0);
      expect(v6?.connections ?? 0).toBe(0);
    });
  });

  it("refuses every other private, reserved and metadata range (pure decisions, no sockets)", () => {
    const policy = loopbackPolicy([80, 443], ["*"]);
    policy.dnsPolicy.blockPrivateRanges = true;
    const r = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
    const blocked = [
      "10.0.0.1",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "169.254.1.1",
      "100.64.0.1",
      "100.127.255.254",
      "0.0.0.0",
      "192.0.2.1",
      "198.51.100.1",
      "203.0.113.1",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "fd00::1",
      "fe80::1",
      "ff02::1",
      "::ffff:10.0.0.1",
      "::ffff:169.254.169.254",
      "64:ff9b::a9fe:a9fe",
      "2002:a9fe:a9fe::",
    ];
    for (const ip of blocked) expect(r.policy.isAddressAllowed(ip).allowed, ip).toBe(false);
    for (const ip of ["8.8.8.8", "1.1.1.1", "100.128.0.1", "100.63.255.255", "2001:4860:4860::8888"]) {
      expect(r.policy.isAddressAllowed(ip).allowed, ip).toBe(true);
    }
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00::1]/",
      "http://0xa9.0xfe.0xa9.0xfe/",
      "http://[::ffff:a9fe:a9fe]/",
    ]) {
      expect(r.policy.isHttpRequestAllowed(url).allowed, url).toBe(false);
    }
  });
});
