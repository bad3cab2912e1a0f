import { PolicyError } from "../../errors.js";
import { describe } from "../fieldChecks.js";
import { type AddressRange, inRange, type ParsedAddress, parseCidr, unmapRange } from "../ipAddress.js";

/** A parsed CIDR range. */
export type IpRange = AddressRange;

/**
 * Parses a CIDR such as `10.0.0.0/8` or `2001:db8::/32`. An IPv4-mapped IPv6 range (`::ffff:a.b.c.d/n`,
 * n ≥ 96) is rewritten to the IPv4 range it denotes, because mapped addresses are judged as IPv4.
 */
export function parseIpRange(field: string, raw: unknown): IpRange {
  if (typeof raw !== "string") throw new PolicyError(field, "must be a string");
  const text = raw.trim();
  if (!/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(text)) {
    throw new PolicyError(field, `${describe(raw)} is not a CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`);
  }
  try {
    return unmapRange(parseCidr(text));
  } catch (cause) {
    throw new PolicyError(field, `${describe(raw)} is not a CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`, {
      cause,
    });
  }
}

/** True when `address` lies in any of `ranges`. */
export function inAnyRange(address: ParsedAddress, ranges: readonly IpRange[]): boolean {
  return ranges.some((range) => inRange(address, range));
}
