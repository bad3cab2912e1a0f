import ipaddr from "ipaddr.js";

/** A parsed address, IPv4 or IPv6 (ipaddr.js types). */
export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Accepted characters of an IP literal; anything else is refused before the parser sees it. */
const IP_LITERAL_CHARS = /^[0-9a-fA-FxX.:]+$/;

/**
 * Parses an IP literal. Accepts the IPv4 forms browsers and `inet_aton` accept (so they cannot be used to
 * smuggle an address past a check: `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) and IPv6 with or without
 * brackets. Zone ids (`fe80::1%eth0`) are refused: a scoped address is never a legitimate target.
 * Returns `undefined` for anything that is not an address.
 */
export function parseAddress(input: string): ParsedAddress | undefined {
  let text = input;
  if (text.length > 64) return undefined;
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (!IP_LITERAL_CHARS.test(text)) return undefined;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

/** Canonical text: dotted-quad IPv4, RFC 5952 IPv6 (lowercase, compressed, no brackets). */
export function formatAddress(address: ParsedAddress): string {
  return address.kind() === "ipv4" ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

/** True when `address` lies in `range` (families must agree; mismatches are simply "no"). */
export function inRange(address: ParsedAddress, range: readonly [ParsedAddress, number]): boolean {
  if (address.kind() !== range[0].kind()) return false;
  return address.match(range[0], range[1]);
}

/** Parses a CIDR (`10.0.0.0/8`, `2001:db8::/32`) or throws. */
export function parseCidr(text: string): [ParsedAddress, number] {
  return ipaddr.parseCIDR(text);
}

/** The IPv4 address embedded in the last 32 bits of an IPv6 address. */
export function lastFourBytesAsIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

/** The IPv4 address embedded in a 6to4 address (`2002:AABB:CCDD::/48`). */
export function sixToFourIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(2, 6));
}
