import ipaddr from "ipaddr.js";
import { PolicyError } from "../../errors.js";
import { describe } from "../fieldChecks.js";
import { inRange, type ParsedAddress } from "../ipAddress.js";

/** A parsed CIDR range. */
export type IpRange = readonly [ParsedAddress, number];

/**
 * Parses a CIDR such as `10.0.0.0/8` or `2001:db8::/32`. An IPv4-mapped IPv6 range (`::ffff:a.b.c.d/n`,
 * n ≥ 96) is rewritten to the IPv4 range it denotes, because mapped addresses are judged as IPv4.
 */
export function parseIpRange(field: string, raw: unknown): IpRange {
  if (typeof raw !== "string") throw new PolicyError(field, "must be a string");
  const text = raw.trim();
  let parsed: [ParsedAddress, number];
  try {
    if (!/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(text)) throw new Error("not in address/prefix form");
    parsed = ipaddr.parseCIDR(text);
  } catch (cause) {
    throw new PolicyError(field, `${describe(raw)} is not a CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`, {
      cause,
    });
  }
  const [address, prefix] = parsed;
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), prefix - 96];
  }
  return [address, prefix];
}

/** True when `address` lies in any of `ranges`. */
export function inAnyRange(address: ParsedAddress, ranges: readonly IpRange[]): boolean {
  return ranges.some((range) => inRange(address, range));
}
