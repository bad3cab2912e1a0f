import { describe, expect, it } from "vitest";
import { defaultNetworkPolicy, developmentNetworkPolicy, strictNetworkPolicy } from "./networkPolicy.js";

describe("network presets (reference values)", () => {
  it("default: internet off, https on 443, DNS off with A/AAAA, 8 lookups, 60 s, private blocked", () => {
    const p = defaultNetworkPolicy();
    expect(p.allowInternet).toBe(false);
    expect(p.http).toEqual({ allowedHosts: [], allowedSchemes: ["https"], allowedPorts: [443] });
    expect(p.allowedIpRanges).toEqual([]);
    expect(p.dnsPolicy).toEqual({
      enabled: false,
      allowedHosts: [],
      allowedRecordTypes: ["a", "aaaa"],
      maxLookups: 8,
      cacheTtlSecs: 60,
      blockPrivateRanges: true,
    });
  });

  it("default limits: 256 KiB / 512 KiB / 32 KiB / 5 s / 8 requests / 2 redirects", () => {
    expect(defaultNetworkPolicy().limits).toEqual({
      maxRequestBytes: 256 * 1024,
      maxResponseBytes: 512 * 1024,
      maxHeaderBytes: 32 * 1024,
      timeoutMs: 5_000,
      maxRequests: 8,
      maxRedirects: 2,
    });
  });

  it("default audit: enabled, no headers, no bodies, no tags", () => {
    expect(defaultNetworkPolicy().audit).toEqual({
      enabled: true,
      logHeaders: false,
      logBodies: false,
      tags: {},
    });
  });

  it("strict(hosts): internet on, those hosts, https only, port 443", () => {
    const hosts = ["api.example.com", "cdn.example.com"];
    const p = strictNetworkPolicy(hosts);
    expect(p.allowInternet).toBe(true);
    expect(p.http.allowedHosts).toEqual(hosts);
    expect(p.http.allowedHosts).not.toBe(hosts);
    expect(p.http.allowedSchemes).toEqual(["https"]);
    expect(p.http.allowedPorts).toEqual([443]);
  });

  it("development: http+https, 80/443, DNS on (32, 10 s), private ranges allowed, audit with headers", () => {
    const p = developmentNetworkPolicy();
    expect(p.allowInternet).toBe(true);
    // Ours: "any host" is spelled "*" (the reference used an empty list, which allows nothing here).
    expect(p.http.allowedHosts).toEqual(["*"]);
    expect(p.http.allowedSchemes).toContain("http");
    expect(p.http.allowedSchemes).toContain("https");
    expect(p.http.allowedPorts).toEqual([80, 443]);
    expect(p.dnsPolicy.enabled).toBe(true);
    expect(p.dnsPolicy.blockPrivateRanges).toBe(false);
    expect(p.dnsPolicy.maxLookups).toBe(32);
    expect(p.dnsPolicy.cacheTtlSecs).toBe(10);
    expect(p.limits).toEqual({
      maxRequestBytes: 1024 * 1024,
      maxResponseBytes: 2 * 1024 * 1024,
      maxHeaderBytes: 64 * 1024,
      timeoutMs: 15_000,
      maxRequests: 32,
      maxRedirects: 4,
    });
    expect(p.audit).toEqual({ enabled: true, logHeaders: true, logBodies: false, tags: {} });
  });
});
