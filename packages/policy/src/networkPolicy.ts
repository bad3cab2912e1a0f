import type { DnsRecordType } from "@platform-wasm/wire";

/** HTTP access rules. */
export interface HttpPolicy {
  /**
   * Host patterns: `example.com` (exactly), `*.example.com` or `.example.com` (the domain and every
   * subdomain, as in the reference), an IP literal, or `*` (any host). Empty = no host is allowed.
   */
  allowedHosts: string[];
  /** `"http"` and/or `"https"`. Empty = nothing is allowed. */
  allowedSchemes: string[];
  /** TCP ports (1–65535). Empty = nothing is allowed. */
  allowedPorts: number[];
}

/** DNS resolution rules; `blockPrivateRanges` also governs every address the host connects to. */
export interface DnsPolicy {
  enabled: boolean;
  /** Host patterns a guest may resolve (same syntax as {@link HttpPolicy.allowedHosts}). Empty = none. */
  allowedHosts: string[];
  /** Record types a guest may ask for. Empty = none. */
  allowedRecordTypes: DnsRecordType[];
  /** Lookups allowed per instance run. */
  maxLookups: number;
  /** Cache TTL for answers, so repeated lookups within a run agree. */
  cacheTtlSecs: number;
  /** Refuse private, loopback, link-local, metadata, CGNAT, documentation, multicast, … addresses. */
  blockPrivateRanges: boolean;
}

/** Request/response limits the host enforces. */
export interface RequestLimits {
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** Limit on the sum of header name and value lengths. */
  maxHeaderBytes: number;
  timeoutMs: number;
  /** HTTP requests allowed per instance run. */
  maxRequests: number;
  /** Redirect hops followed per request; each hop is re-checked against the policy. */
  maxRedirects: number;
}

/** Audit logging of network calls. */
export interface AuditPolicy {
  enabled: boolean;
  logHeaders: boolean;
  logBodies: boolean;
  /** Extra tags attached to every audit event. */
  tags: Record<string, string>;
}

/** What a guest may reach through `platform_network` (the reference's model, camelCase). */
export interface NetworkPolicy {
  /** Master switch; `false` refuses everything with `NetworkDisabled`. */
  allowInternet: boolean;
  http: HttpPolicy;
  /**
   * CIDR ranges. When non-empty, every address the host connects to must fall inside one of them, and an
   * IP-literal URL inside one of them is allowed even if no host pattern names it. Empty = no range filter.
   */
  allowedIpRanges: string[];
  dnsPolicy: DnsPolicy;
  limits: RequestLimits;
  audit: AuditPolicy;
}

/**
 * The reference's defaults: internet off; HTTPS on port 443 only; DNS off (A/AAAA, 8 lookups, 60 s
 * cache, private ranges blocked); 256 KiB request, 512 KiB response, 32 KiB headers, 5 s, 8 requests,
 * 2 redirects; audit on without headers or bodies.
 */
export function defaultNetworkPolicy(): NetworkPolicy {
  return {
    allowInternet: false,
    http: { allowedHosts: [], allowedSchemes: ["https"], allowedPorts: [443] },
    allowedIpRanges: [],
    dnsPolicy: {
      enabled: false,
      allowedHosts: [],
      allowedRecordTypes: ["a", "aaaa"],
      maxLookups: 8,
      cacheTtlSecs: 60,
      blockPrivateRanges: true,
    },
    limits: {
      maxRequestBytes: 256 * 1024,
      maxResponseBytes: 512 * 1024,
      maxHeaderBytes: 32 * 1024,
      timeoutMs: 5_000,
      maxRequests: 8,
      maxRedirects: 2,
    },
    audit: { enabled: true, logHeaders: false, logBodies: false, tags: {} },
  };
}

/**
 * Internet on, HTTPS to `hosts` only (port 443), everything else as {@link defaultNetworkPolicy}.
 * @example strictNetworkPolicy(["api.example.com", "*.cdn.example.com"])
 */
export function strictNetworkPolicy(hosts: string[]): NetworkPolicy {
  const policy = defaultNetworkPolicy();
  policy.allowInternet = true;
  policy.http.allowedHosts = [...hosts];
  return policy;
}

/**
 * The reference's `development()`: HTTP and HTTPS on ports 80/443, DNS on (32 lookups, 10 s cache),
 * **private ranges allowed**, 1 MiB / 2 MiB / 64 KiB / 15 s / 32 requests / 4 redirects, audit with headers.
 * The reference expressed "any host" as an empty list; ours says it explicitly with `"*"` (an empty list
 * allows nothing here). Not for validators.
 */
export function developmentNetworkPolicy(): NetworkPolicy {
  const policy = defaultNetworkPolicy();
  policy.allowInternet = true;
  policy.http = { allowedHosts: ["*"], allowedSchemes: ["https", "http"], allowedPorts: [80, 443] };
  policy.dnsPolicy = {
    ...policy.dnsPolicy,
    enabled: true,
    allowedHosts: ["*"],
    maxLookups: 32,
    cacheTtlSecs: 10,
    blockPrivateRanges: false,
  };
  policy.limits = {
    maxRequestBytes: 1024 * 1024,
    maxResponseBytes: 2 * 1024 * 1024,
    maxHeaderBytes: 64 * 1024,
    timeoutMs: 15_000,
    maxRequests: 32,
    maxRedirects: 4,
  };
  policy.audit = { enabled: true, logHeaders: true, logBodies: false, tags: {} };
  return policy;
}
