import type { NetworkPolicy } from "@platform-wasm/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import {
  errKind,
  hostCall,
  invoke,
  loopbackPolicy,
  memoryAudit,
  TEST_INSTANCE,
} from "../../test/network/support/harness.js";
import { NetworkHostFunctions, type NetworkHostFunctionsOptions } from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer((q) => {
    switch (`${q.type} ${q.name}`) {
      case "A api.test":
        return [{ type: "A", data: "127.0.0.1" }];
      case "AAAA api.test":
        return [{ type: "AAAA", data: "::1" }];
      case "CNAME www.test":
        return [{ type: "CNAME", data: "api.test" }];
      case "TXT api.test":
        return [
          { type: "TXT", data: ["hello ", "world"] },
          { type: "TXT", data: ["second"] },
        ];
      case "A public.test":
        return [{ type: "A", data: "8.8.8.8" }];
      case "A mixed.test":
        return [
          { type: "A", data: "10.1.2.3" },
          { type: "A", data: "8.8.4.4" },
          { type: "A", data: "169.254.169.254" },
        ];
      case "A internal.test":
        return [
          { type: "A", data: "10.0.0.1" },
          { type: "A", data: "192.168.0.1" },
        ];
      case "TXT cache.test":
      case "TXT nocache.test":
        return [{ type: "TXT", data: ["cached"] }];
      case "A slow.test":
        return "drop";
    }
    if (q.name.endsWith(".test") && q.name !== "gone.test") return [];
    return undefined;
  });
});
afterAll(() => dns.close());

function registrar(policy: NetworkPolicy = loopbackPolicy([80]), options: NetworkHostFunctionsOptions = {}) {
  return NetworkHostFunctions.all(policy, {
    resolver: createDnsResolver({ servers: [dns.address] }),
    ...options,
  });
}
const lookup = (hostname: string, record_type = "a") => ({ hostname, record_type });
function queriesFor(name: string): number {
  return dns.queries.filter((q) => q.name === name).length;
}

describe("dns_resolve against a loopback DNS server", () => {
  it("answers A, AAAA, CNAME and TXT", async () => {
    const r = registrar();
    const call = hostCall(r.createState(TEST_INSTANCE));
    expect(await invoke(r, "dns_resolve", lookup("api.test"), call)).toEqual({
      Ok: { records: ["127.0.0.1"] },
    });
    expect(await invoke(r, "dns_resolve", lookup("API.test.", "aaaa"), call)).toEqual({
      Ok: { records: ["::1"] },
    });
    expect(await invoke(r, "dns_resolve", lookup("www.test", "cname"), call)).toEqual({
      Ok: { records: ["api.test"] },
    });
    expect(await invoke(r, "dns_resolve", lookup("api.test", "txt"), call)).toEqual({
      Ok: { records: ["hello world", "second"] },
    });
    expect(call.state.dnsLookups).toBe(4);
  });

  it("sends no query for a name or record type the policy does not allow", async () => {
    const policy = loopbackPolicy([80]);
    policy.dnsPolicy.allowedHosts = ["api.test"];
    policy.dnsPolicy.allowedRecordTypes = ["a"];
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const before = dns.queries.length;
    expect(errKind(await invoke(r, "dns_resolve", lookup("forbidden.test"), call))).toBe("PolicyViolation");
    expect(errKind(await invoke(r, "dns_resolve", lookup("api.test", "txt"), call))).toBe("PolicyViolation");
    expect(dns.queries.length).toBe(before);
    expect(call.state.dnsLookups).toBe(0);
  });

  it("refuses lookups when DNS is disabled or the internet switch is off", async () => {
    const off = loopbackPolicy([80]);
    off.dnsPolicy.enabled = false;
    const r = registrar(off);
    expect(
      errKind(await invoke(r, "dns_resolve", lookup("api.test"), hostCall(r.createState(TEST_INSTANCE)))),
    ).toBe("PolicyViolation");
    const dark = loopbackPolicy([80]);
    dark.allowInternet = false;
    const r2 = registrar(dark);
    expect(
      await invoke(r2, "dns_resolve", lookup("api.test"), hostCall(r2.createState(TEST_INSTANCE))),
    ).toEqual({
      Err: "NetworkDisabled",
    });
  });

  it("enforces maxLookups, and 0 disables lookups", async () => {
    const policy = loopbackPolicy([80]);
    policy.dnsPolicy.maxLookups = 3;
    policy.dnsPolicy.cacheTtlSecs = 0;
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (let i = 0; i < 3; i++)
      expect(errKind(await invoke(r, "dns_resolve", lookup("api.test"), call))).toBeUndefined();
    expect(await invoke(r, "dns_resolve", lookup("api.test"), call)).toEqual({
      Err: { LimitExceeded: "dns lookup limit exceeded" },
    });
    expect(call.state.dnsLookups).toBe(3);
    policy.dnsPolicy.maxLookups = 0;
    const r0 = registrar(policy);
    expect(
      await invoke(r0, "dns_resolve", lookup("api.test"), hostCall(r0.createState(TEST_INSTANCE))),
    ).toEqual({
      Err: { LimitExceeded: "dns lookups disabled" },
    });
  });

  it("caches answers for cacheTtlSecs on the injected clock, and reset empties the cache", async () => {
    let now = 1_000_000;
    const policy = loopbackPolicy([80]);
    policy.dnsPolicy.cacheTtlSecs = 10;
    const r = registrar(policy, { now: () => now });
    const call = hostCall(r.createState(TEST_INSTANCE));
    const name = "cache.test";
    const ask = () => invoke(r, "dns_resolve", lookup(name, "txt"), call);
    const before = queriesFor(name);
    await ask();
    await ask();
    expect(queriesFor(name) - before).toBe(1);
    expect(call.state.cachedAnswers).toBe(1);
    now += 9_999;
    await ask();
    expect(queriesFor(name) - before).toBe(1);
    now += 2;
    await ask();
    expect(queriesFor(name) - before).toBe(2);
    // Cache hits still count against the budget (the reference's accounting).
    expect(call.state.dnsLookups).toBe(4);
    call.state.resetCounters();
    expect(call.state.cachedAnswers).toBe(0);
    await ask();
    expect(queriesFor(name) - before).toBe(3);
  });

  it("does not cache when cacheTtlSecs is 0", async () => {
    const policy = loopbackPolicy([80]);
    policy.dnsPolicy.cacheTtlSecs = 0;
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    const before = queriesFor("nocache.test");
    await invoke(r, "dns_resolve", lookup("nocache.test", "txt"), call);
    await invoke(r, "dns_resolve", lookup("nocache.test", "txt"), call);
    expect(queriesFor("nocache.test") - before).toBe(2);
  });

  it("removes blocked addresses from answers, and refuses when none are left", async () => {
    const policy = loopbackPolicy([80]);
    policy.dnsPolicy.blockPrivateRanges = true;
    const audit = memoryAudit();
    const r = registrar(policy, { auditLogger: audit });
    const call = hostCall(r.createState(TEST_INSTANCE));
    expect(await invoke(r, "dns_resolve", lookup("public.test"), call)).toEqual({
      Ok: { records: ["8.8.8.8"] },
    });
    expect(await invoke(r, "dns_resolve", lookup("mixed.test"), call)).toEqual({
      Ok: { records: ["8.8.4.4"] },
    });
    expect(audit.entries.at(-1)?.action).toMatchObject({ type: "policy_denied" });
    expect(await invoke(r, "dns_resolve", lookup("internal.test"), call)).toEqual({
      Err: { PolicyViolation: "every address of internal.test is blocked by policy" },
    });
    expect(await invoke(r, "dns_resolve", lookup("api.test"), call)).toEqual({
      Err: { PolicyViolation: "every address of api.test is blocked by policy" },
    });
  });

  it("reports unknown names, empty answers and silent servers", async () => {
    const policy = loopbackPolicy([80]);
    policy.limits.timeoutMs = 300;
    const r = registrar(policy);
    const call = hostCall(r.createState(TEST_INSTANCE));
    expect(await invoke(r, "dns_resolve", lookup("gone.test"), call)).toEqual({
      Err: { DnsFailure: "gone.test: name not found" },
    });
    expect(await invoke(r, "dns_resolve", lookup("empty.test"), call)).toEqual({
      Err: { DnsFailure: "no records returned" },
    });
    const started = Date.now();
    expect(await invoke(r, "dns_resolve", lookup("slow.test"), call)).toEqual({ Err: "Timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("bounds a resolver that ignores its abort signal", async () => {
    const policy = loopbackPolicy([80]);
    policy.limits.timeoutMs = 200;
    const r = NetworkHostFunctions.all(policy, {
      resolver: { resolve: () => new Promise<string[]>(() => undefined) },
    });
    expect(
      await invoke(r, "dns_resolve", lookup("api.test"), hostCall(r.createState(TEST_INSTANCE))),
    ).toEqual({
      Err: "Timeout",
    });
  });
});
