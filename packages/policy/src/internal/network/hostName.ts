import { analyzeAddress } from "../../addressClass.js";
import { hasControlOrSpace } from "../text.js";

/** Longest host text we look at (a DNS name is at most 253 octets; IDN input may be longer before punycode). */
const MAX_HOST_INPUT = 1024;

/**
 * Characters that may never appear in a host we are asked about. Besides whitespace and controls these
 * are the URL delimiters: letting one through would let the WHATWG parser below read a different host
 * than the caller meant (`a.com@b.com`, `a.com/..`, `a.com:1`).
 */
const FORBIDDEN = /[\s/\\?#@:[\]%<>^|"'`{}*,;=+!$&()~]/u;

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/** A normalized host: a DNS name (lowercase punycode, no trailing dot) or a canonical IP literal. */
export type NormalizedHost =
  | { readonly kind: "name"; readonly host: string }
  | { readonly kind: "ip"; readonly host: string };

/**
 * Normalizes a host name the way a browser or undici would before connecting: IDNA to punycode,
 * lowercase, IPv4 numeric shorthands (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) to dotted quad, and
 * one trailing dot removed. IPv6 literals (with or without brackets) become RFC 5952 text.
 * Returns `undefined` for anything that is not a valid host.
 */
export function normalizeHost(input: string): NormalizedHost | undefined {
  if (typeof input !== "string" || input.length === 0 || input.length > MAX_HOST_INPUT) return undefined;
  if (input.includes(":")) {
    const v6 = analyzeAddress(input);
    return v6 !== undefined && v6.family === "ipv6" ? { kind: "ip", host: v6.canonical } : undefined;
  }
  if (hasControlOrSpace(input) || FORBIDDEN.test(input)) return undefined;
  let parsed: string;
  try {
    // The WHATWG host parser (what undici and fetch use): IDNA, lowercasing, IPv4 number forms.
    parsed = new URL(`http://${input}/`).hostname;
  } catch {
    return undefined;
  }
  return fromParsedHostname(parsed);
}

/** Finishes normalization of a WHATWG `URL.hostname` (already lowercase punycode / canonical IPv4). */
export function fromParsedHostname(hostname: string): NormalizedHost | undefined {
  if (hostname.startsWith("[") && hostname.endsWith("]")) {
    const v6 = analyzeAddress(hostname);
    return v6 === undefined ? undefined : { kind: "ip", host: v6.canonical };
  }
  const host = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (host.length === 0 || host.length > 253) return undefined;
  const v4 = analyzeAddress(host);
  if (v4 !== undefined && v4.family === "ipv4" && /^[0-9.]+$/.test(host))
    return { kind: "ip", host: v4.canonical };
  // Letters, digits, hyphen and underscore (`_dmarc`); no empty labels, none longer than 63, and no
  // label that starts or ends with a hyphen (RFC 1123).
  const labels = host.split(".");
  if (labels.some((label) => label.length > 63 || !LABEL.test(label))) return undefined;
  return { kind: "name", host };
}
