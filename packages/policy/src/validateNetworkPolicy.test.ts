import { describe, expect, it } from "vitest";
import { isPolicyError, PolicyErrorCode } from "./errors.js";
import {
  defaultNetworkPolicy,
  developmentNetworkPolicy,
  type NetworkPolicy,
  strictNetworkPolicy,
} from "./networkPolicy.js";
import { validateNetworkPolicy } from "./validateNetworkPolicy.js";

function variantOf(decision: { allowed: boolean; error?: unknown }): string | undefined {
  if (decision.allowed) return undefined;
  return typeof decision.error === "string" ? decision.error : Object.keys(decision.error as object)[0];
}

function withPolicy(
  edit: (p: NetworkPolicy) => void,
  base: NetworkPolicy = strictNetworkPolicy(["example.com"]),
) {
  edit(base);
  return validateNetworkPolicy(base);
}

describe("reference NetworkPolicy cases", () => {
  it("strict([example.com]): https allowed, http refused (scheme)", () => {
    const net = validateNetworkPolicy(strictNetworkPolicy(["example.com"]));
    expect(net.isHttpRequestAllowed("https://example.com/path").allowed).toBe(true);
    const d = net.isHttpRequestAllowed("http://example.com");
    expect(d).toMatchObject({ allowed: false, error: { PolicyViolation: "scheme not allowed: http" } });
  });

  it("strict([*.example.com]): subdomain and apex allowed, evil.com refused", () => {
    const net = validateNetworkPolicy(strictNetworkPolicy(["*.example.com"]));
    expect(net.isHttpRequestAllowed("https://api.example.com").allowed).toBe(true);
    expect(net.isHttpRequestAllowed("https://example.com").allowed).toBe(true);
    expect(net.isHttpRequestAllowed("https://evil.com")).toMatchObject({
      allowed: false,
      error: { PolicyViolation: "host not allowed: evil.com" },
    });
  });

  it("allowed ports [443]: :443 allowed, :8443 refused", () => {
    const net = withPolicy((p) => {
      p.http.allowedPorts = [443];
    });
    expect(net.isHttpRequestAllowed("https://example.com:443").allowed).toBe(true);
    expect(net.isHttpRequestAllowed("https://example.com:8443")).toMatchObject({
      allowed: false,
      error: { PolicyViolation: "port not allowed: 8443" },
    });
  });

  it("DNS enabled for [example.com]: example.com A allowed, evil.com A refused", () => {
    const net = withPolicy((p) => {
      p.dnsPolicy.enabled = true;
      p.dnsPolicy.allowedHosts = ["example.com"];
    });
    expect(net.isDnsLookupAllowed("example.com", "a")).toEqual({ allowed: true, value: "example.com" });
    expect(variantOf(net.isDnsLookupAllowed("evil.com", "a"))).toBe("PolicyViolation");
  });

  it("a host pattern with a space fails validation, naming the entry", () => {
    expect(() => validateNetworkPolicy(strictNetworkPolicy(["ok.com", "bad host"]))).toThrow(
      /^http\.allowedHosts\[1\]: "bad host"/,
    );
  });

  it("allowInternet false refuses everything with NetworkDisabled", () => {
    const net = validateNetworkPolicy(defaultNetworkPolicy());
    expect(net.isHttpRequestAllowed("https://example.com")).toMatchObject({
      allowed: false,
      error: "NetworkDisabled",
    });
    expect(net.isDnsLookupAllowed("example.com", "a")).toMatchObject({
      allowed: false,
      error: "NetworkDisabled",
    });
  });

  it("an allowed request passes; a URL outside the policy is refused", () => {
    const net = validateNetworkPolicy(strictNetworkPolicy(["api.example.com"]));
    expect(net.isHttpRequestAllowed("https://api.example.com/v1")).toMatchObject({
      allowed: true,
      value: { scheme: "https", host: "api.example.com", port: 443, ip: undefined },
    });
    expect(variantOf(net.isHttpRequestAllowed("https://other.example.com/"))).toBe("PolicyViolation");
  });
});

describe("reference host-pattern matching", () => {
  const net = (patterns: string[]) => validateNetworkPolicy(strictNetworkPolicy(patterns));
  const allowed = (patterns: string[], host: string) =>
    net(patterns).isHttpRequestAllowed(`https://${host}/`).allowed;

  it("exact: matches itself only", () => {
    expect(allowed(["example.com"], "example.com")).toBe(true);
    expect(allowed(["example.com"], "sub.example.com")).toBe(false);
    expect(allowed(["example.com"], "notexample.com")).toBe(false);
    expect(allowed(["example.com"], "evil.com")).toBe(false);
    expect(allowed(["example.com"], "example.org")).toBe(false);
  });
  it("*.example.com: apex, subdomain, deep subdomain; not notexample.com", () => {
    for (const host of ["example.com", "sub.example.com", "deep.sub.example.com"]) {
      expect(allowed(["*.example.com"], host)).toBe(true);
    }
    expect(allowed(["*.example.com"], "notexample.com")).toBe(false);
    expect(allowed(["*.example.com"], "example.com.evil.com")).toBe(false);
  });
  it(".example.com: same as *.example.com", () => {
    expect(allowed([".example.com"], "example.com")).toBe(true);
    expect(allowed([".example.com"], "sub.example.com")).toBe(true);
    expect(allowed([".example.com"], "notexample.com")).toBe(false);
  });
  it("case-insensitive both ways", () => {
    for (const host of ["example.com", "EXAMPLE.COM", "Example.Com"])
      expect(allowed(["Example.COM"], host)).toBe(true);
  });
  it("trailing dots ignored on pattern and host", () => {
    expect(allowed(["example.com."], "example.com")).toBe(true);
    expect(allowed(["example.com."], "example.com.")).toBe(true);
    expect(allowed(["example.com"], "example.com.")).toBe(true);
  });
  it("IDN hosts and patterns are compared in punycode", () => {
    expect(allowed(["bücher.example"], "xn--bcher-kva.example")).toBe(true);
    expect(allowed(["xn--bcher-kva.example"], "bücher.example")).toBe(true);
    expect(allowed(["*.bücher.example"], "shop.BÜCHER.example")).toBe(true);
    expect(allowed(["example.com"], "еxample.com")).toBe(false); // Cyrillic "е"
  });
  it("'*' allows any host; name patterns never match IP literals", () => {
    expect(allowed(["*"], "anything.test")).toBe(true);
    expect(allowed(["1.1.1.1"], "one.one.one.one")).toBe(false);
    expect(() => net(["*.1.1"])).toThrow(/no subdomains/);
  });
});

describe("URL refusals", () => {
  const net = validateNetworkPolicy(
    (() => {
      const p = strictNetworkPolicy(["example.com", "93.184.216.34", "[2606:4700::1111]"]);
      p.http.allowedSchemes = ["https", "http"];
      p.http.allowedPorts = [80, 443];
      return p;
    })(),
  );
  const table: [string, string, string][] = [
    ["userinfo", "https://user:pass@example.com/", "PolicyViolation"],
    ["username only", "https://user@example.com/", "PolicyViolation"],
    ["userinfo disguising the host", "https://example.com@evil.com/", "PolicyViolation"],
    ["ftp scheme", "ftp://example.com/", "PolicyViolation"],
    ["file scheme", "file:///etc/passwd", "PolicyViolation"],
    ["javascript scheme", "javascript:alert(1)", "PolicyViolation"],
    ["relative URL", "/path", "InvalidRequest"],
    ["garbage", "not a url", "InvalidRequest"],
    ["backslash trick", "https://evil.com\\@example.com/", "InvalidRequest"],
    ["tab inside the host", "https://exa\tmple.com/", "InvalidRequest"],
    ["newline", "https://example.com/\n", "InvalidRequest"],
    ["leading space", " https://example.com/", "InvalidRequest"],
    ["overlong", `https://example.com/${"a".repeat(9000)}`, "InvalidRequest"],
    ["port 0", "https://example.com:0/", "PolicyViolation"],
    ["port not listed", "https://example.com:8080/", "PolicyViolation"],
    ["loopback literal", "http://127.0.0.1/", "PolicyViolation"],
    ["decimal loopback", "http://2130706433/", "PolicyViolation"],
    ["hex loopback", "http://0x7f.1/", "PolicyViolation"],
    ["octal loopback", "http://0177.0.0.1/", "PolicyViolation"],
    ["short loopback", "http://127.1/", "PolicyViolation"],
    ["metadata", "http://169.254.169.254/latest/meta-data/", "PolicyViolation"],
    ["metadata in hex", "http://0xa9fea9fe/", "PolicyViolation"],
    ["percent-encoded loopback", "http://%31%32%37.0.0.1/", "PolicyViolation"],
    ["full-width digits", "http://１２７.０.０.１/", "PolicyViolation"],
    ["trailing-dot loopback", "http://127.0.0.1./", "PolicyViolation"],
    ["IPv6 loopback", "http://[::1]/", "PolicyViolation"],
    ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/", "PolicyViolation"],
    ["NAT64 loopback", "http://[64:ff9b::7f00:1]/", "PolicyViolation"],
    ["6to4 private", "http://[2002:c0a8:101::]/", "PolicyViolation"],
    ["unique-local", "http://[fd00::1]/", "PolicyViolation"],
    ["metadata v6", "http://[fd00:ec2::254]/", "PolicyViolation"],
    ["public IP not in the host list", "https://8.8.8.8/", "PolicyViolation"],
    ["invalid IPv4 literal", "https://256.0.0.1/", "InvalidRequest"],
    ["non-string", 42 as unknown as string, "InvalidRequest"],
  ];
  it.each(table)("%s", (_name, url, variant) =>
    expect(variantOf(net.isHttpRequestAllowed(url))).toBe(variant),
  );

  it("IP literals named by a pattern pass and report the IP", () => {
    expect(net.isHttpRequestAllowed("https://93.184.216.34/")).toMatchObject({
      allowed: true,
      value: { host: "93.184.216.34", ip: "93.184.216.34", port: 443 },
    });
    expect(net.isHttpRequestAllowed("https://1572395042/")).toMatchObject({
      allowed: true,
      value: { host: "93.184.216.34", ip: "93.184.216.34" },
    });
    expect(net.isHttpRequestAllowed("https://[2606:4700:0::1111]/")).toMatchObject({
      allowed: true,
      value: { host: "2606:4700::1111", ip: "2606:4700::1111" },
    });
  });

  it("default ports follow the scheme; explicit default ports are the same target", () => {
    expect(net.isHttpRequestAllowed("http://example.com/")).toMatchObject({
      allowed: true,
      value: { port: 80 },
    });
    expect(net.isHttpRequestAllowed("https://example.com/")).toMatchObject({
      allowed: true,
      value: { port: 443 },
    });
    expect(net.isHttpRequestAllowed("https://example.com:443/")).toMatchObject({
      allowed: true,
      value: { port: 443 },
    });
    expect(net.isHttpRequestAllowed("HTTPS://EXAMPLE.COM./x")).toMatchObject({
      allowed: true,
      value: { scheme: "https", host: "example.com" },
    });
  });

  it("the returned URL is the parsed one the host must use", () => {
    const d = net.isHttpRequestAllowed("https://example.com/a/../b?q=1#frag");
    expect(d.allowed && d.value.url.href).toBe("https://example.com/b?q=1#frag");
  });
});

describe("IP ranges (allowedIpRanges)", () => {
  it("an IP literal inside a range passes the host check even when no pattern names it (reference)", () => {
    const net = withPolicy((p) => {
      p.allowedIpRanges = ["93.184.216.0/24"];
    });
    expect(net.isHttpRequestAllowed("https://93.184.216.34/").allowed).toBe(true);
    expect(net.isHttpRequestAllowed("https://93.184.217.1/").allowed).toBe(false);
  });

  it("isAddressAllowed: private blocked, public allowed, ranges filter when set", () => {
    const blocking = validateNetworkPolicy(strictNetworkPolicy(["example.com"]));
    expect(variantOf(blocking.isAddressAllowed("10.0.0.1"))).toBe("PolicyViolation");
    expect(blocking.isAddressAllowed("8.8.8.8")).toEqual({ allowed: true, value: "8.8.8.8" });

    const ranged = withPolicy((p) => {
      p.allowedIpRanges = ["8.8.8.0/24", "2001:4860::/32"];
    });
    expect(ranged.isAddressAllowed("8.8.8.8").allowed).toBe(true);
    expect(ranged.isAddressAllowed("2001:4860:4860::8888").allowed).toBe(true);
    expect(ranged.isAddressAllowed("1.1.1.1")).toMatchObject({
      allowed: false,
      error: { PolicyViolation: "address not allowed: 1.1.1.1" },
    });
    expect(ranged.isAddressAllowed("::ffff:8.8.8.8")).toEqual({ allowed: true, value: "8.8.8.8" });
  });

  it("with blockPrivateRanges off, private addresses pass but metadata endpoints never do", () => {
    const dev = validateNetworkPolicy(developmentNetworkPolicy());
    expect(dev.isAddressAllowed("127.0.0.1")).toEqual({ allowed: true, value: "127.0.0.1" });
    expect(dev.isAddressAllowed("::1")).toEqual({ allowed: true, value: "::1" });
    expect(variantOf(dev.isAddressAllowed("169.254.169.254"))).toBe("PolicyViolation");
    expect(variantOf(dev.isAddressAllowed("fd00:ec2::254"))).toBe("PolicyViolation");
    expect(variantOf(dev.isAddressAllowed("::ffff:169.254.169.254"))).toBe("PolicyViolation");
  });

  it("mapped ranges in policies are rewritten to IPv4", () => {
    const net = withPolicy((p) => {
      p.allowedIpRanges = ["::ffff:8.8.8.0/120"];
    });
    expect(net.isAddressAllowed("8.8.8.8").allowed).toBe(true);
  });

  it("isAddressAllowed canonicalizes and refuses non-addresses", () => {
    const net = validateNetworkPolicy(strictNetworkPolicy([]));
    expect(net.isAddressAllowed("2001:4860:4860:0:0:0:0:8888")).toEqual({
      allowed: true,
      value: "2001:4860:4860::8888",
    });
    expect(net.isAddressAllowed("[2001:4860:4860::8888]")).toEqual({
      allowed: true,
      value: "2001:4860:4860::8888",
    });
    expect(variantOf(net.isAddressAllowed("example.com"))).toBe("InvalidRequest");
    expect(variantOf(net.isAddressAllowed("fe80::1%eth0"))).toBe("InvalidRequest");
  });
});

describe("DNS checks", () => {
  const dns = (edit: (p: NetworkPolicy) => void = () => {}) =>
    withPolicy((p) => {
      p.dnsPolicy.enabled = true;
      p.dnsPolicy.allowedHosts = ["*.example.com"];
      edit(p);
    });

  it("DNS disabled is a PolicyViolation", () => {
    expect(
      validateNetworkPolicy(strictNetworkPolicy(["example.com"])).isDnsLookupAllowed("example.com", "a"),
    ).toMatchObject({
      allowed: false,
      error: { PolicyViolation: "dns access disabled" },
    });
  });
  it("record types outside the list are refused; unknown ones are InvalidRequest", () => {
    expect(variantOf(dns().isDnsLookupAllowed("example.com", "txt"))).toBe("PolicyViolation");
    expect(dns().isDnsLookupAllowed("example.com", "aaaa").allowed).toBe(true);
    expect(variantOf(dns().isDnsLookupAllowed("example.com", "mx" as "a"))).toBe("InvalidRequest");
  });
  it("names are normalized (case, trailing dot, IDN) and returned normalized", () => {
    expect(dns().isDnsLookupAllowed("API.Example.COM.", "a")).toEqual({
      allowed: true,
      value: "api.example.com",
    });
    expect(
      dns((p) => (p.dnsPolicy.allowedHosts = ["bücher.example"])).isDnsLookupAllowed("BÜCHER.example", "a"),
    ).toEqual({
      allowed: true,
      value: "xn--bcher-kva.example",
    });
  });
  it.each([
    "",
    "exa mple.com",
    "a..b",
    "example.com/x",
    "user@example.com",
    "example.com:80",
    "-",
    "a\0b",
    "x".repeat(300),
  ])("malformed name %j is InvalidRequest", (name) =>
    expect(variantOf(dns((p) => (p.dnsPolicy.allowedHosts = ["*"])).isDnsLookupAllowed(name, "a"))).toBe(
      "InvalidRequest",
    ),
  );
  it("IP literals need no lookup", () => {
    expect(
      variantOf(dns((p) => (p.dnsPolicy.allowedHosts = ["*"])).isDnsLookupAllowed("127.0.0.1", "a")),
    ).toBe("InvalidRequest");
    expect(variantOf(dns((p) => (p.dnsPolicy.allowedHosts = ["*"])).isDnsLookupAllowed("::1", "aaaa"))).toBe(
      "InvalidRequest",
    );
  });
  it("an empty allowed-host list allows no lookups (reference: any)", () => {
    expect(
      variantOf(dns((p) => (p.dnsPolicy.allowedHosts = [])).isDnsLookupAllowed("example.com", "a")),
    ).toBe("PolicyViolation");
  });
});

describe("empty lists allow nothing (secure reading of the reference's 'empty = any')", () => {
  it.each([
    ["hosts", (p: NetworkPolicy) => (p.http.allowedHosts = [])],
    ["schemes", (p: NetworkPolicy) => (p.http.allowedSchemes = [])],
    ["ports", (p: NetworkPolicy) => (p.http.allowedPorts = [])],
  ])("empty %s", (_name, edit) => {
    expect(withPolicy(edit).isHttpRequestAllowed("https://example.com/").allowed).toBe(false);
  });
});

describe("limits and budgets (reference NetworkState cases, pure)", () => {
  it("request budget: 2 of 2 made → LimitExceeded; 0 → 'http requests disabled'", () => {
    const net = withPolicy((p) => (p.limits.maxRequests = 2));
    expect(net.checkRequestBudget(0)).toEqual({ allowed: true, value: 1 });
    expect(net.checkRequestBudget(1)).toEqual({ allowed: true, value: 0 });
    expect(net.checkRequestBudget(2)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: "http request limit exceeded" },
    });
    expect(withPolicy((p) => (p.limits.maxRequests = 0)).checkRequestBudget(0)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: "http requests disabled" },
    });
  });
  it("DNS budget: 3 of 3 made → LimitExceeded; 0 → 'dns lookups disabled'", () => {
    const net = withPolicy((p) => (p.dnsPolicy.maxLookups = 3));
    expect(net.checkLookupBudget(2).allowed).toBe(true);
    expect(net.checkLookupBudget(3)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: "dns lookup limit exceeded" },
    });
    expect(withPolicy((p) => (p.dnsPolicy.maxLookups = 0)).checkLookupBudget(0)).toMatchObject({
      allowed: false,
      error: { LimitExceeded: "dns lookups disabled" },
    });
  });
  it("a 100-byte body over a 10-byte limit is LimitExceeded; 10 bytes pass", () => {
    const net = withPolicy((p) => (p.limits.maxRequestBytes = 10));
    expect(variantOf(net.checkRequestBody(100))).toBe("LimitExceeded");
    expect(net.checkRequestBody(10)).toEqual({ allowed: true, value: 10 });
    expect(variantOf(net.checkRequestBody(Number.NaN))).toBe("InvalidRequest");
  });
  it("headers over max_header_bytes (sum of name and value lengths) are LimitExceeded", () => {
    const net = withPolicy((p) => (p.limits.maxHeaderBytes = 10));
    expect(net.checkHeaders({ abc: "12345" })).toEqual({ allowed: true, value: 8 });
    expect(net.checkHeaders({ abc: "1234567" })).toEqual({ allowed: true, value: 10 });
    expect(variantOf(net.checkHeaders({ abc: "12345678" }))).toBe("LimitExceeded");
    expect(variantOf(net.checkHeaders({ a: "é".repeat(5) }))).toBe("LimitExceeded");
    expect(variantOf(net.checkHeaders({ a: 1 } as unknown as Record<string, string>))).toBe("InvalidRequest");
  });
});

describe("validateNetworkPolicy errors name the entry", () => {
  const table: [string, (p: NetworkPolicy) => void, string][] = [
    ["bad host", (p) => (p.http.allowedHosts = ["ok.com", "bad host"]), "http.allowedHosts[1]"],
    ["empty host", (p) => (p.http.allowedHosts = [""]), "http.allowedHosts[0]"],
    ["bare wildcard prefix", (p) => (p.http.allowedHosts = ["*."]), "http.allowedHosts[0]"],
    ["inner wildcard", (p) => (p.http.allowedHosts = ["a.*.com"]), "http.allowedHosts[0]"],
    ["url as host", (p) => (p.http.allowedHosts = ["https://example.com"]), "http.allowedHosts[0]"],
    ["wildcard IP", (p) => (p.http.allowedHosts = ["*.10.0.0.1"]), "http.allowedHosts[0]"],
    ["scheme", (p) => (p.http.allowedSchemes = ["https", "ftp"]), "http.allowedSchemes[1]"],
    ["port 0", (p) => (p.http.allowedPorts = [443, 0]), "http.allowedPorts[1]"],
    ["port too big", (p) => (p.http.allowedPorts = [65_536]), "http.allowedPorts[0]"],
    ["port not integer", (p) => (p.http.allowedPorts = [44.3]), "http.allowedPorts[0]"],
    ["cidr", (p) => (p.allowedIpRanges = ["10.0.0.0/8", "10.0.0.0"]), "allowedIpRanges[1]"],
    ["cidr prefix", (p) => (p.allowedIpRanges = ["10.0.0.0/33"]), "allowedIpRanges[0]"],
    ["dns host", (p) => (p.dnsPolicy.allowedHosts = ["a b"]), "dnsPolicy.allowedHosts[0]"],
    [
      "record type",
      (p) => (p.dnsPolicy.allowedRecordTypes = ["a", "MX" as "a"]),
      "dnsPolicy.allowedRecordTypes[1]",
    ],
    ["lookups", (p) => (p.dnsPolicy.maxLookups = -1), "dnsPolicy.maxLookups"],
    ["timeout", (p) => (p.limits.timeoutMs = 0), "limits.timeoutMs"],
    ["redirects", (p) => (p.limits.maxRedirects = 256), "limits.maxRedirects"],
    ["audit flag", (p) => (p.audit.logBodies = "no" as unknown as boolean), "audit.logBodies"],
    ["audit tag", (p) => (p.audit.tags = { team: 1 as unknown as string }), "audit.tags.team"],
    ["allowInternet", (p) => (p.allowInternet = undefined as unknown as boolean), "allowInternet"],
  ];
  it.each(table)("%s", (_name, edit, field) => {
    let caught: unknown;
    try {
      withPolicy(edit);
    } catch (error) {
      caught = error;
    }
    expect(isPolicyError(caught)).toBe(true);
    if (!isPolicyError(caught)) return;
    expect(caught.code).toBe(PolicyErrorCode.POLICY_INVALID);
    expect(caught.field).toBe(field);
  });

  it("warnings explain what a permissive policy opens", () => {
    const dev = validateNetworkPolicy(developmentNetworkPolicy());
    expect(dev.warnings.some((w) => w.startsWith("http.allowedHosts"))).toBe(true);
    expect(dev.warnings.some((w) => w.startsWith("dnsPolicy.blockPrivateRanges"))).toBe(true);
    expect(validateNetworkPolicy(strictNetworkPolicy(["example.com"])).warnings).toEqual([]);
  });

  it("the validated policy is a frozen copy", () => {
    const input = strictNetworkPolicy(["example.com"]);
    const net = validateNetworkPolicy(input);
    input.http.allowedHosts.push("evil.com");
    expect(net.isHttpRequestAllowed("https://evil.com/").allowed).toBe(false);
    expect(Object.isFrozen(net.policy.http.allowedHosts)).toBe(true);
  });
});
