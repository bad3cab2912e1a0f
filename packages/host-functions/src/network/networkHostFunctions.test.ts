import {
  defaultNetworkPolicy,
  isPolicyError,
  type NetworkPolicy,
  strictNetworkPolicy,
} from "@platform-wasm/policy";
import { describe, expect, it } from "vitest";
import { hostCall, invoke, memoryAudit, TEST_INSTANCE } from "../../test/network/support/harness.js";
import { isHostFunctionsError } from "../errors.js";
import { denied } from "./internal/failure.js";
import { checkHttpRequest, headerBytes } from "./internal/requestChecks.js";
import { NETWORK_IMPORT_NAMES, NetworkHostFunctions } from "./networkHostFunctions.js";

/** Names resolve to nothing here: these tests never get as far as a connection. */
const noNames = {
  resolve: () => Promise.reject(Object.assign(new Error("no dns in this test"), { code: "ENOTFOUND" })),
};

function strict(hosts: string[], adjust: (p: NetworkPolicy) => void = () => undefined): NetworkPolicy {
  const policy = strictNetworkPolicy(hosts);
  adjust(policy);
  return policy;
}

function withDns(hosts: string[], adjust: (p: NetworkPolicy) => void = () => undefined): NetworkPolicy {
  return strict(hosts, (p) => {
    p.dnsPolicy = {
      enabled: true,
      allowedHosts: [...hosts],
      allowedRecordTypes: ["a", "aaaa"],
      maxLookups: 8,
      cacheTtlSecs: 60,
      blockPrivateRanges: true,
    };
    adjust(p);
  });
}

const request = (
  url: string,
  extra: Partial<{ headers: Record<string, string>; body: Uint8Array }> = {},
) => ({
  method: "get" as const,
  url,
  headers: extra.headers ?? {},
  body: extra.body ?? new Uint8Array(0),
});

describe("NetworkHostFunctions construction", () => {
  it("provides every import by default and via all(), in the platform_network namespace", () => {
    const a = new NetworkHostFunctions(strict(["example.com"]), { resolver: noNames });
    const b = NetworkHostFunctions.all(strict(["example.com"]), { resolver: noNames });
    expect(a.namespace).toBe("platform_network");
    expect(a.imports.map((i) => i.name)).toEqual([...NETWORK_IMPORT_NAMES]);
    expect(b.imports.map((i) => i.name)).toEqual(["http_request", "http_get", "http_post", "dns_resolve"]);
    expect(a.imports.every((i) => i.kind === "request")).toBe(true);
    expect(a.imports.some((i) => i.name === "take_result")).toBe(false);
  });

  it("can enable a subset (the reference's new(enabled))", () => {
    const r = new NetworkHostFunctions(strict(["example.com"]), {
      enabled: ["dns_resolve", "http_get"],
      resolver: noNames,
    });
    expect(r.imports.map((i) => i.name)).toEqual(["http_get", "dns_resolve"]);
    expect(new NetworkHostFunctions(strict([]), { enabled: [] }).imports).toEqual([]);
  });

  it("rejects unknown or repeated import names with INVALID_OPTIONS", () => {
    const bad = (enabled: string[]) => () =>
      new NetworkHostFunctions(strict([]), { enabled: enabled as (typeof NETWORK_IMPORT_NAMES)[number][] });
    for (const enabled of [["take_result"], ["http_get", "http_get"], ["sandbox_exec"]]) {
      try {
        bad(enabled)();
        expect.unreachable();
      } catch (error) {
        expect(isHostFunctionsError(error) && error.code).toBe("INVALID_OPTIONS");
      }
    }
  });
});

// Ported from the reference's network.rs tests (see REFERENCE-BEHAVIOUR.md, "NetworkState").
describe("reference NetworkState behaviour", () => {
  it("creating the state validates the policy; counters start at zero", () => {
    const r = NetworkHostFunctions.all(strict(["example.com"]), { resolver: noNames });
    const state = r.createState(TEST_INSTANCE);
    expect(state.requestsMade).toBe(0);
    expect(state.dnsLookups).toBe(0);
    try {
      NetworkHostFunctions.all(strict(["bad host"]));
      expect.unreachable();
    } catch (error) {
      expect(isPolicyError(error)).toBe(true);
    }
  });

  it("request budget: max_requests 0 is 'http requests disabled'", async () => {
    const r = NetworkHostFunctions.all(
      strict(["example.com"], (p) => (p.limits.maxRequests = 0)),
      { resolver: noNames },
    );
    expect(
      await invoke(
        r,
        "http_request",
        request("https://example.com/"),
        hostCall(r.createState(TEST_INSTANCE)),
      ),
    ).toEqual({
      Err: { LimitExceeded: "http requests disabled" },
    });
  });

  it("request budget: with max_requests 2 and 2 made, the next is LimitExceeded", async () => {
    const r = NetworkHostFunctions.all(
      strict(["example.com"], (p) => (p.limits.maxRequests = 2)),
      { resolver: noNames },
    );
    const call = hostCall(r.createState(TEST_INSTANCE));
    // Two admitted requests (they fail at name resolution, after being counted), then the budget is spent.
    for (let i = 0; i < 2; i++) {
      expect(await invoke(r, "http_request", request("https://example.com/"), call)).toMatchObject({
        Err: { DnsFailure: expect.any(String) },
      });
    }
    expect(call.state.requestsMade).toBe(2);
    expect(await invoke(r, "http_request", request("https://example.com/"), call)).toEqual({
      Err: { LimitExceeded: "http request limit exceeded" },
    });
  });

  it("dns budget: max_lookups 3 then LimitExceeded; 0 is 'dns lookups disabled'", async () => {
    const resolver = { resolve: async () => ["93.184.216.34"] };
    const r = NetworkHostFunctions.all(
      withDns(["example.com"], (p) => (p.dnsPolicy.maxLookups = 3)),
      { resolver },
    );
    const call = hostCall(r.createState(TEST_INSTANCE));
    for (let i = 0; i < 3; i++) {
      expect(await invoke(r, "dns_resolve", { hostname: "example.com", record_type: "a" }, call)).toEqual({
        Ok: { records: ["93.184.216.34"] },
      });
    }
    expect(await invoke(r, "dns_resolve", { hostname: "example.com", record_type: "a" }, call)).toEqual({
      Err: { LimitExceeded: "dns lookup limit exceeded" },
    });
    const r0 = NetworkHostFunctions.all(
      withDns(["example.com"], (p) => (p.dnsPolicy.maxLookups = 0)),
      { resolver },
    );
    expect(
      await invoke(
        r0,
        "dns_resolve",
        { hostname: "example.com", record_type: "a" },
        hostCall(r0.createState(TEST_INSTANCE)),
      ),
    ).toEqual({
      Err: { LimitExceeded: "dns lookups disabled" },
    });
  });

  it("validate_http_request: body over the limit, headers over the limit, URL outside the policy, allowed", () => {
    const small = NetworkHostFunctions.all(
      strict(["example.com"], (p) => (p.limits.maxRequestBytes = 10)),
    ).policy;
    expect(() =>
      checkHttpRequest(small, request("https://example.com", { body: new Uint8Array(100) })),
    ).toThrow(expect.objectContaining({ error: { LimitExceeded: "request body too large: 100 > 10" } }));
    const tight = NetworkHostFunctions.all(
      strict(["example.com"], (p) => (p.limits.maxHeaderBytes = 10)),
    ).policy;
    expect(() =>
      checkHttpRequest(tight, request("https://example.com", { headers: { "x-large": "a".repeat(100) } })),
    ).toThrow(
      expect.objectContaining({ error: { LimitExceeded: "header size exceeds limit: more than 10 bytes" } }),
    );
    const policy = NetworkHostFunctions.all(strict(["example.com"])).policy;
    expect(() => checkHttpRequest(policy, request("https://evil.com"))).toThrow(
      expect.objectContaining({ error: { PolicyViolation: expect.any(String) } }),
    );
    expect(checkHttpRequest(policy, request("https://example.com/api"))).toMatchObject({
      host: "example.com",
      port: 443,
    });
  });

  it("header size is the sum of name and value lengths", () => {
    expect(headerBytes({ key1: "val1", key2: "val2" })).toBe(16);
    expect(headerBytes({ é: "ü" })).toBe(4);
  });

  it("address checks: private blocked, public allowed, allowed_ip_ranges filter, empty ranges no filter", () => {
    const blocking = NetworkHostFunctions.all(strict(["example.com"])).policy;
    expect(blocking.isAddressAllowed("127.0.0.1")).toMatchObject({
      allowed: false,
      error: { PolicyViolation: expect.any(String) },
    });
    expect(blocking.isAddressAllowed("8.8.8.8").allowed).toBe(true);
    const ranged = NetworkHostFunctions.all(
      strict(["example.com"], (p) => {
        p.dnsPolicy.blockPrivateRanges = false;
        p.allowedIpRanges = ["8.8.0.0/16"];
      }),
    ).policy;
    expect(ranged.isAddressAllowed("8.8.8.8").allowed).toBe(true);
    expect(ranged.isAddressAllowed("1.1.1.1")).toMatchObject({
      allowed: false,
      error: { PolicyViolation: expect.any(String) },
    });
    const open = NetworkHostFunctions.all(
      strict(["example.com"], (p) => (p.dnsPolicy.blockPrivateRanges = false)),
    ).policy;
    expect(open.isAddressAllowed("8.8.8.8").allowed).toBe(true);
  });

  it("private address table (blockPrivateRanges on)", () => {
    const policy = NetworkHostFunctions.all(strict(["example.com"])).policy;
    for (const ip of [
      "127.0.0.1",
      "10.0.0.1",
      "192.168.1.1",
      "172.16.0.1",
      "169.254.1.1",
      "0.0.0.0",
      "::1",
      "::",
    ]) {
      expect(policy.isAddressAllowed(ip).allowed, ip).toBe(false);
    }
    for (const ip of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "100.128.0.1", "100.63.255.255"]) {
      expect(policy.isAddressAllowed(ip).allowed, ip).toBe(true);
    }
    for (const ip of [
      "100.64.0.1",
      "100.127.255.254",
      "192.0.2.1",
      "198.51.100.1",
      "203.0.113.1",
      "255.255.255.255",
      "224.0.0.1",
    ]) {
      expect(policy.isAddressAllowed(ip).allowed, ip).toBe(false);
    }
  });

  it("a policy denial is written to the audit logger with the instance identity", async () => {
    const audit = memoryAudit();
    const r = NetworkHostFunctions.all(strict(["example.com"]), { auditLogger: audit, resolver: noNames });
    await invoke(r, "http_request", request("https://evil.com/"), hostCall(r.createState(TEST_INSTANCE)));
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      challengeId: "chal-1",
      validatorId: "val-1",
      action: { type: "policy_denied", reason: expect.stringContaining("evil.com") },
    });
    expect(denied("Timeout").denial).toBe(true);
  });

  it("allow_internet false refuses every request with NetworkDisabled", async () => {
    const r = NetworkHostFunctions.all(defaultNetworkPolicy(), { resolver: noNames });
    const call = hostCall(r.createState(TEST_INSTANCE));
    expect(await invoke(r, "http_request", request("https://example.com"), call)).toEqual({
      Err: "NetworkDisabled",
    });
    expect(await invoke(r, "dns_resolve", { hostname: "example.com", record_type: "a" }, call)).toEqual({
      Err: "NetworkDisabled",
    });
  });

  it("reset_counters zeroes requests made and DNS lookups", async () => {
    // Only example.com resolves (for dns_resolve); the HTTP request's host does not, so nothing connects.
    const resolver = {
      resolve: async (host: string) => {
        if (host === "example.com") return ["93.184.216.34"];
        throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      },
    };
    const r = NetworkHostFunctions.all(withDns(["example.com", "nodns.example.com"]), { resolver });
    const call = hostCall(r.createState(TEST_INSTANCE));
    await invoke(r, "dns_resolve", { hostname: "example.com", record_type: "a" }, call);
    expect(await invoke(r, "http_request", request("https://nodns.example.com/"), call)).toMatchObject({
      Err: { DnsFailure: expect.any(String) },
    });
    expect([call.state.requestsMade, call.state.dnsLookups, call.state.cachedAnswers]).toEqual([1, 1, 1]);
    call.state.resetCounters();
    expect([call.state.requestsMade, call.state.dnsLookups, call.state.cachedAnswers]).toEqual([0, 0, 0]);
  });
});
