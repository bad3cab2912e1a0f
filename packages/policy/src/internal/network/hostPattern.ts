import { PolicyError } from "../../errors.js";
import { describe } from "../fieldChecks.js";
import { type NormalizedHost, normalizeHost } from "./hostName.js";

/** A validated host pattern. */
export type HostPattern =
  | { readonly kind: "any" }
  | { readonly kind: "exact"; readonly host: string }
  /** The domain itself and every subdomain (`*.x.com` and `.x.com`, as the reference matches them). */
  | { readonly kind: "domain"; readonly host: string }
  | { readonly kind: "ip"; readonly ip: string };

/**
 * Parses a host pattern from a policy: `*`, `example.com`, `*.example.com`, `.example.com`, or an IP
 * literal. Case, a trailing dot and IDN spelling are normalized; anything else is an error naming `field`.
 */
export function parseHostPattern(field: string, raw: unknown): HostPattern {
  if (typeof raw !== "string") throw new PolicyError(field, "must be a string");
  const text = raw.trim();
  if (text === "*") return { kind: "any" };
  let body = text;
  let subdomains = false;
  if (text.startsWith("*.")) {
    body = text.slice(2);
    subdomains = true;
  } else if (text.startsWith(".")) {
    body = text.slice(1);
    subdomains = true;
  }
  const host = normalizeHost(body);
  if (host === undefined || body.length === 0) {
    throw new PolicyError(field, `${describe(raw)} is not a host name, *.domain, .domain or IP address`);
  }
  if (host.kind === "ip") {
    if (subdomains) throw new PolicyError(field, `${describe(raw)}: an IP address has no subdomains`);
    return { kind: "ip", ip: host.host };
  }
  return subdomains ? { kind: "domain", host: host.host } : { kind: "exact", host: host.host };
}

/** True when `pattern` admits `host`. Name patterns never match IP literals and vice versa. */
export function hostMatches(pattern: HostPattern, host: NormalizedHost): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "ip":
      return host.kind === "ip" && host.host === pattern.ip;
    case "exact":
      return host.kind === "name" && host.host === pattern.host;
    case "domain":
      return host.kind === "name" && (host.host === pattern.host || host.host.endsWith(`.${pattern.host}`));
  }
}
