import type { DnsRecordType } from "@platform-wasm/wire";
import type { NetworkDecision } from "./decision.js";
import type { NetworkPolicy } from "./networkPolicy.js";

/** A URL that passed {@link ValidatedNetworkPolicy.isHttpRequestAllowed}, in the form the host connects to. */
export interface HttpTarget {
  /** The parsed URL (WHATWG). */
  url: URL;
  /** `"http"` or `"https"`. */
  scheme: string;
  /**
   * Normalized host: lowercase, punycode, no trailing dot; IPv4 in canonical dotted form; IPv6 without
   * brackets, compressed.
   */
  host: string;
  /** Explicit port, or the scheme's default. */
  port: number;
  /** The canonical IP when the host is an IP literal (already checked by `isAddressAllowed`). */
  ip: string | undefined;
}

/**
 * A {@link NetworkPolicy} that passed validation. Every check is pure and total: no I/O, no name
 * resolution, never throws.
 */
export interface ValidatedNetworkPolicy {
  /** A frozen copy of the policy as validated. */
  readonly policy: Readonly<NetworkPolicy>;
  /** Human-readable warnings (e.g. `*` host patterns, private ranges allowed). */
  readonly warnings: readonly string[];
  /**
   * `allowInternet`, scheme, userinfo (refused), port, host pattern; an IP-literal host must also pass
   * {@link isAddressAllowed}. The host must still check every resolved address and every redirect hop.
   */
  isHttpRequestAllowed(url: string): NetworkDecision<HttpTarget>;
  /** `allowInternet`, DNS enabled, record type, host pattern; returns the normalized host name. */
  isDnsLookupAllowed(hostname: string, recordType: DnsRecordType): NetworkDecision<string>;
  /**
   * Whether the host may connect to `ip`: private-range blocking (when `dnsPolicy.blockPrivateRanges`) and
   * the `allowedIpRanges` filter (when non-empty). Returns the canonical address.
   */
  isAddressAllowed(ip: string): NetworkDecision<string>;
  /**
   * Per-instance HTTP budget: `LimitExceeded` when `limits.maxRequests` is 0 ("http requests disabled")
   * or `requestsMade` has reached it. Returns the requests left after this one.
   */
  checkRequestBudget(requestsMade: number): NetworkDecision<number>;
  /** Per-instance DNS budget against `dnsPolicy.maxLookups` (same rules as {@link checkRequestBudget}). */
  checkLookupBudget(lookupsMade: number): NetworkDecision<number>;
  /** `LimitExceeded` when a request body is larger than `limits.maxRequestBytes`. */
  checkRequestBody(byteLength: number): NetworkDecision<number>;
  /**
   * `LimitExceeded` when the headers' total size (UTF-8 bytes of every name and value) exceeds
   * `limits.maxHeaderBytes`; applies to request and response headers alike. Returns the total.
   */
  checkHeaders(headers: Record<string, string>): NetworkDecision<number>;
}
