import type { DnsRecordType } from "@platform-wasm/wire";
import { analyzeAddress } from "./addressClass.js";
import type { NetworkDecision } from "./decision.js";
import { PolicyError } from "./errors.js";
import { allow, denyNetwork, totalNetwork } from "./internal/decide.js";
import { deepFreeze } from "./internal/deepFreeze.js";
import {
  checkArray,
  checkBoolean,
  checkInteger,
  checkObject,
  checkStringArray,
  describe,
  MAX_TIMER_MS,
} from "./internal/fieldChecks.js";
import { parseAddress } from "./internal/ipAddress.js";
import { fromParsedHostname, type NormalizedHost, normalizeHost } from "./internal/network/hostName.js";
import { type HostPattern, hostMatches, parseHostPattern } from "./internal/network/hostPattern.js";
import { type IpRange, inAnyRange, parseIpRange } from "./internal/network/ipRanges.js";
import { hasControlOrSpace } from "./internal/text.js";
import type { NetworkPolicy } from "./networkPolicy.js";
import type { HttpTarget, ValidatedNetworkPolicy } from "./validatedNetworkPolicy.js";

const SCHEMES = ["http", "https"] as const;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };
const RECORD_TYPES: readonly DnsRecordType[] = ["a", "aaaa", "cname", "txt"];
/** Longest URL we look at; longer ones are refused as malformed. */
const MAX_URL_LENGTH = 8192;
/**
 * Characters refused anywhere in a URL: controls and spaces (the WHATWG parser silently strips or
 * removes some, so the host could connect somewhere the text did not say) and `\` (read as `/` in http(s)).
 */

function checkPatterns(field: string, value: unknown): HostPattern[] {
  return checkStringArray(field, value).map((raw, index) => parseHostPattern(`${field}[${index}]`, raw));
}

function checkPolicy(input: NetworkPolicy): NetworkPolicy {
  const p = checkObject("", input);
  const http = checkObject("http", p.http);
  const dns = checkObject("dnsPolicy", p.dnsPolicy);
  const limits = checkObject("limits", p.limits);
  const audit = checkObject("audit", p.audit);
  const tags = checkObject("audit.tags", audit.tags);
  return {
    allowInternet: checkBoolean("allowInternet", p.allowInternet),
    http: {
      allowedHosts: checkStringArray("http.allowedHosts", http.allowedHosts),
      allowedSchemes: checkStringArray("http.allowedSchemes", http.allowedSchemes).map((scheme, index) => {
        const lower = scheme.toLowerCase();
        if (!(SCHEMES as readonly string[]).includes(lower)) {
          throw new PolicyError(
            `http.allowedSchemes[${index}]`,
            `${describe(scheme)} is not "http" or "https"`,
          );
        }
        return lower;
      }),
      allowedPorts: checkArray("http.allowedPorts", http.allowedPorts).map((port, index) =>
        checkInteger(`http.allowedPorts[${index}]`, port, 1, 65_535),
      ),
    },
    allowedIpRanges: checkStringArray("allowedIpRanges", p.allowedIpRanges),
    dnsPolicy: {
      enabled: checkBoolean("dnsPolicy.enabled", dns.enabled),
      allowedHosts: checkStringArray("dnsPolicy.allowedHosts", dns.allowedHosts),
      allowedRecordTypes: checkStringArray("dnsPolicy.allowedRecordTypes", dns.allowedRecordTypes).map(
        (type, index) => {
          if (!(RECORD_TYPES as readonly string[]).includes(type)) {
            throw new PolicyError(
              `dnsPolicy.allowedRecordTypes[${index}]`,
              `${describe(type)} is not one of a, aaaa, cname, txt`,
            );
          }
          return type as DnsRecordType;
        },
      ),
      maxLookups: checkInteger("dnsPolicy.maxLookups", dns.maxLookups, 0, 0xffff_ffff),
      cacheTtlSecs: checkInteger("dnsPolicy.cacheTtlSecs", dns.cacheTtlSecs, 0),
      blockPrivateRanges: checkBoolean("dnsPolicy.blockPrivateRanges", dns.blockPrivateRanges),
    },
    limits: {
      maxRequestBytes: checkInteger("limits.maxRequestBytes", limits.maxRequestBytes, 0),
      maxResponseBytes: checkInteger("limits.maxResponseBytes", limits.maxResponseBytes, 0),
      maxHeaderBytes: checkInteger("limits.maxHeaderBytes", limits.maxHeaderBytes, 0),
      timeoutMs: checkInteger("limits.timeoutMs", limits.timeoutMs, 1, MAX_TIMER_MS),
      maxRequests: checkInteger("limits.maxRequests", limits.maxRequests, 0, 0xffff_ffff),
      maxRedirects: checkInteger("limits.maxRedirects", limits.maxRedirects, 0, 255),
    },
    audit: {
      enabled: checkBoolean("audit.enabled", audit.enabled),
      logHeaders: checkBoolean("audit.logHeaders", audit.logHeaders),
      logBodies: checkBoolean("audit.logBodies", audit.logBodies),
      tags: Object.fromEntries(
        Object.keys(tags).map((key) => {
          const value = tags[key];
          if (typeof value !== "string") throw new PolicyError(`audit.tags.${key}`, "must be a string");
          return [key, value];
        }),
      ),
    },
  };
}

function collectWarnings(policy: NetworkPolicy): string[] {
  const warnings: string[] = [];
  if (!policy.allowInternet) return warnings;
  if (policy.http.allowedHosts.includes("*")) warnings.push('http.allowedHosts: "*" allows every host');
  if (policy.dnsPolicy.enabled && policy.dnsPolicy.allowedHosts.includes("*")) {
    warnings.push('dnsPolicy.allowedHosts: "*" allows resolving every name');
  }
  if (!policy.dnsPolicy.blockPrivateRanges) {
    warnings.push("dnsPolicy.blockPrivateRanges: false — guests may reach loopback and private networks");
  }
  if (policy.http.allowedSchemes.includes("http"))
    warnings.push("http.allowedSchemes: plain http is allowed");
  if (policy.audit.logBodies) warnings.push("audit.logBodies: request and response bodies are logged");
  return warnings;
}

class CheckedNetworkPolicy implements ValidatedNetworkPolicy {
  readonly policy: Readonly<NetworkPolicy>;
  readonly warnings: readonly string[];
  readonly #httpHosts: readonly HostPattern[];
  readonly #dnsHosts: readonly HostPattern[];
  readonly #ranges: readonly IpRange[];

  constructor(policy: NetworkPolicy) {
    this.#httpHosts = checkPatterns("http.allowedHosts", policy.http.allowedHosts);
    this.#dnsHosts = checkPatterns("dnsPolicy.allowedHosts", policy.dnsPolicy.allowedHosts);
    this.#ranges = policy.allowedIpRanges.map((raw, index) => parseIpRange(`allowedIpRanges[${index}]`, raw));
    this.policy = deepFreeze(policy);
    this.warnings = Object.freeze(collectWarnings(policy));
  }

  isHttpRequestAllowed(url: string): NetworkDecision<HttpTarget> {
    return totalNetwork(() => this.#checkUrl(url));
  }

  #checkUrl(url: unknown): NetworkDecision<HttpTarget> {
    if (!this.policy.allowInternet)
      return denyNetwork("NetworkDisabled", "internet access is disabled by policy");
    const invalid = (reason: string) => denyNetwork({ InvalidRequest: reason }, reason);
    const violation = (reason: string) => denyNetwork({ PolicyViolation: reason }, reason);
    if (typeof url !== "string") return invalid("url is not a string");
    if (url.length > MAX_URL_LENGTH) return invalid(`url is longer than ${MAX_URL_LENGTH} characters`);
    if (hasControlOrSpace(url) || url.includes("\\"))
      return invalid("url contains whitespace, control characters or a backslash");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return invalid("url is not a valid absolute URL");
    }
    const scheme = parsed.protocol.slice(0, -1);
    if (!this.policy.http.allowedSchemes.includes(scheme)) return violation(`scheme not allowed: ${scheme}`);
    if (parsed.username !== "" || parsed.password !== "")
      return violation("credentials in the URL are not allowed");
    const host = fromParsedHostname(parsed.hostname);
    if (host === undefined) return invalid("url has no valid host");
    const port = parsed.port === "" ? DEFAULT_PORTS[scheme] : Number(parsed.port);
    if (port === undefined) return invalid("url has no port");
    if (!this.policy.http.allowedPorts.includes(port)) return violation(`port not allowed: ${port}`);

    let ip: string | undefined;
    if (host.kind === "ip") {
      const address = this.isAddressAllowed(host.host);
      if (!address.allowed) return address;
      ip = address.value;
    }
    if (!this.#hostAllowed(host)) return violation(`host not allowed: ${host.host}`);
    return allow({ url: parsed, scheme, host: host.host, port, ip });
  }

  /** Host patterns, plus (as in the reference) IP literals that fall in a non-empty `allowedIpRanges`. */
  #hostAllowed(host: NormalizedHost): boolean {
    if (this.#httpHosts.some((pattern) => hostMatches(pattern, host))) return true;
    if (host.kind !== "ip" || this.#ranges.length === 0) return false;
    const address = parseAddress(host.host);
    return address !== undefined && inAnyRange(address, this.#ranges);
  }

  isDnsLookupAllowed(hostname: string, recordType: DnsRecordType): NetworkDecision<string> {
    return totalNetwork(() => {
      if (!this.policy.allowInternet)
        return denyNetwork("NetworkDisabled", "internet access is disabled by policy");
      const dns = this.policy.dnsPolicy;
      if (!dns.enabled)
        return denyNetwork({ PolicyViolation: "dns access disabled" }, "dns access is disabled by policy");
      if (!(RECORD_TYPES as readonly unknown[]).includes(recordType)) {
        return denyNetwork(
          { InvalidRequest: "unknown dns record type" },
          `unknown dns record type ${describe(recordType)}`,
        );
      }
      if (!dns.allowedRecordTypes.includes(recordType)) {
        return denyNetwork(
          { PolicyViolation: `dns record type not allowed: ${recordType}` },
          `dns record type not allowed: ${recordType}`,
        );
      }
      const host = normalizeHost(hostname);
      if (host === undefined)
        return denyNetwork(
          { InvalidRequest: "invalid host name" },
          `invalid host name ${describe(hostname)}`,
        );
      if (host.kind === "ip") {
        return denyNetwork(
          { InvalidRequest: "an IP address needs no DNS lookup" },
          `dns lookup of IP literal ${host.host}`,
        );
      }
      if (!this.#dnsHosts.some((pattern) => hostMatches(pattern, host))) {
        return denyNetwork(
          { PolicyViolation: `host not allowed: ${host.host}` },
          `dns lookup of ${host.host} not allowed`,
        );
      }
      return allow(host.host);
    });
  }

  isAddressAllowed(ip: string): NetworkDecision<string> {
    return totalNetwork(() => {
      const info = typeof ip === "string" ? analyzeAddress(ip) : undefined;
      if (info === undefined)
        return denyNetwork({ InvalidRequest: "not an IP address" }, `not an IP address: ${describe(ip)}`);
      // An IPv4-mapped address reaches the IPv4 host: report and range-check it as IPv4.
      const effective =
        info.embedding === "mapped" && info.embeddedIpv4 !== undefined ? info.embeddedIpv4 : info.canonical;
      // Metadata endpoints are refused even when private ranges are open: they hand out credentials.
      if (info.addressClass === "metadata") {
        return denyNetwork(
          { PolicyViolation: `address not allowed: ${effective}` },
          `${effective} is a cloud metadata endpoint`,
        );
      }
      if (this.policy.dnsPolicy.blockPrivateRanges && info.addressClass !== "unicast") {
        return denyNetwork(
          { PolicyViolation: `address not allowed: ${effective}` },
          `${effective} is a ${info.addressClass} address and private ranges are blocked`,
        );
      }
      if (this.#ranges.length > 0) {
        const address = parseAddress(effective);
        if (address === undefined || !inAnyRange(address, this.#ranges)) {
          return denyNetwork(
            { PolicyViolation: `address not allowed: ${effective}` },
            `${effective} is outside allowedIpRanges`,
          );
        }
      }
      return allow(effective);
    });
  }
  checkRequestBudget(requestsMade: number): NetworkDecision<number> {
    return totalNetwork(() => checkBudget(requestsMade, this.policy.limits.maxRequests, "http request"));
  }

  checkLookupBudget(lookupsMade: number): NetworkDecision<number> {
    return totalNetwork(() => checkBudget(lookupsMade, this.policy.dnsPolicy.maxLookups, "dns lookup"));
  }

  checkRequestBody(byteLength: number): NetworkDecision<number> {
    return totalNetwork(() => {
      const max = this.policy.limits.maxRequestBytes;
      if (typeof byteLength !== "number" || !(byteLength >= 0)) {
        return denyNetwork({ InvalidRequest: "invalid body length" }, "invalid body length");
      }
      if (byteLength > max) {
        const reason = `request body too large: ${byteLength} > ${max}`;
        return denyNetwork({ LimitExceeded: reason }, reason);
      }
      return allow(byteLength);
    });
  }

  checkHeaders(headers: Record<string, string>): NetworkDecision<number> {
    return totalNetwork(() => {
      const max = this.policy.limits.maxHeaderBytes;
      if (headers === null || typeof headers !== "object") {
        return denyNetwork({ InvalidRequest: "headers are not a map" }, "headers are not a map");
      }
      let total = 0;
      for (const name of Object.keys(headers)) {
        const value: unknown = headers[name];
        if (typeof value !== "string") {
          return denyNetwork(
            { InvalidRequest: "header values must be strings" },
            `header ${describe(name)} is not a string`,
          );
        }
        total += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value, "utf8");
        // Stop counting early: a hostile map may be huge.
        if (total > max) {
          const reason = `header size exceeds limit: more than ${max} bytes`;
          return denyNetwork({ LimitExceeded: reason }, reason);
        }
      }
      return allow(total);
    });
  }
}

/** Shared budget rule: 0 disables the operation; otherwise `made` must be below `max`. */
function checkBudget(made: number, max: number, what: string): NetworkDecision<number> {
  if (max === 0) return denyNetwork({ LimitExceeded: `${what}s disabled` }, `${what}s disabled (limit is 0)`);
  if (typeof made !== "number" || !(made < max)) {
    const reason = `${what} limit exceeded`;
    return denyNetwork({ LimitExceeded: reason }, `${reason}: ${String(made)}/${max}`);
  }
  return allow(max - made - 1);
}

/**
 * Checks a network policy and returns its enforceable form (normalized host patterns, parsed CIDRs).
 * The policy is copied, so later changes to the argument have no effect.
 * @throws PolicyError (`POLICY_INVALID`) naming the bad entry, e.g. `http.allowedHosts[1]`.
 * @example
 * const net = validateNetworkPolicy(strictNetworkPolicy(["*.example.com"]));
 * net.isHttpRequestAllowed("https://api.example.com/v1").allowed; // true
 */
export function validateNetworkPolicy(policy: NetworkPolicy): ValidatedNetworkPolicy {
  return new CheckedNetworkPolicy(checkPolicy(policy));
}
