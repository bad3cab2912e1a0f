import ipaddr from "ipaddr.js";

/**
 * An IP address in a compact form the hot path can compare cheaply: IPv4 as an unsigned 32-bit number,
 * IPv6 as eight 16-bit groups. (ipaddr.js objects cost microseconds per range test; decisions run on
 * every connection, so classification works on these instead.)
 */
export type ParsedAddress =
  | { readonly kind: "ipv4"; readonly value: number }
  | { readonly kind: "ipv6"; readonly parts: readonly number[] };

/** A CIDR range in the same form. */
export type AddressRange = { readonly network: ParsedAddress; readonly prefix: number };

/** Accepted characters of an IP literal; anything else is refused before any parser sees it. */
const IP_LITERAL_CHARS = /^[0-9a-fA-FxX.:]+$/;
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
/** Plain dotted-decimal without leading zeros: the form DNS answers use. */
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

function ipv4(value: number): ParsedAddress {
  return { kind: "ipv4", value: value >>> 0 };
}

function quad(text: string): ParsedAddress | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (m === null) return undefined;
  return ipv4(((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0);
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Strict RFC 4291 text form (1–4 hex digits per group, at most one `::`, optional dotted IPv4 tail), in one
 * pass. Returns `undefined` for anything else, which then goes to the URL parser.
 */
function standardIpv6(text: string): ParsedAddress | undefined {
  const parts: number[] = [];
  const n = text.length;
  let compressAt = -1;
  let i = 0;
  if (text.startsWith("::")) {
    compressAt = 0;
    i = 2;
  }
  while (i < n) {
    let j = i;
    let value = 0;
    for (
      let digit = hexDigit(text.charCodeAt(j));
      j < n && digit >= 0;
      digit = hexDigit(text.charCodeAt(++j))
    ) {
      value = value * 16 + digit;
    }
    if (j < n && text.charCodeAt(j) === 46) {
      // A dotted IPv4 tail: the last 32 bits.
      const tail = quad(text.slice(i));
      if (tail === undefined || tail.kind !== "ipv4") return undefined;
      parts.push(tail.value >>> 16, tail.value & 0xffff);
      break;
    }
    if (j === i || j - i > 4) return undefined;
    parts.push(value);
    if (j === n) break;
    if (text.charCodeAt(j) !== 58) return undefined;
    if (text.charCodeAt(j + 1) === 58) {
      if (compressAt >= 0) return undefined;
      compressAt = parts.length;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === n) return undefined;
    }
  }
  if (parts.length > 8) return undefined;
  if (compressAt < 0) return parts.length === 8 ? { kind: "ipv6", parts } : undefined;
  if (parts.length > 7) return undefined;
  const zeros = new Array<number>(8 - parts.length).fill(0);
  return { kind: "ipv6", parts: [...parts.slice(0, compressAt), ...zeros, ...parts.slice(compressAt)] };
}

/**
 * Parses an IP literal. Standard forms are parsed directly; every other spelling goes through the
 * WHATWG URL host parser (the one undici and fetch use), so whatever would reach an address is recognized
 * as that address: IPv4 shorthands (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) and IPv6 with or
 * without brackets. Zone ids (`fe80::1%eth0`) are refused: a scoped address is never a legitimate target.
 * Returns `undefined` for anything that is not an address.
 */
export function parseAddress(input: string): ParsedAddress | undefined {
  if (typeof input !== "string" || input.length === 0 || input.length > 64) return undefined;
  const text = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  if (!IP_LITERAL_CHARS.test(text)) return undefined;
  const fast = text.includes(":") ? standardIpv6(text) : quad(text);
  if (fast !== undefined) return fast;
  let hostname: string;
  try {
    hostname = new URL(text.includes(":") ? `http://[${text}]/` : `http://${text}/`).hostname;
  } catch {
    return undefined;
  }
  // The URL parser serializes IPv6 in the standard form and IPv4 as a dotted quad; a text it kept as a
  // domain (e.g. "abc", "1e5") is not an address.
  return hostname.startsWith("[") ? standardIpv6(hostname.slice(1, -1)) : quad(hostname);
}

/** Canonical text: dotted-quad IPv4; RFC 5952 IPv6 (lowercase, longest zero run compressed, no brackets). */
export function formatAddress(address: ParsedAddress): string {
  if (address.kind === "ipv4") {
    const v = address.value;
    return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
  }
  const parts = address.parts;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    parts
      .slice(from, to)
      .map((p) => p.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** True when `address` lies in `range` (families must agree; mismatches are simply "no"). */
export function inRange(address: ParsedAddress, range: AddressRange): boolean {
  const { network, prefix } = range;
  if (address.kind === "ipv4" && network.kind === "ipv4") {
    if (prefix === 0) return true;
    const mask = (~0 << (32 - prefix)) >>> 0;
    return ((address.value ^ network.value) & mask) >>> 0 === 0;
  }
  if (address.kind === "ipv6" && network.kind === "ipv6") {
    let bits = prefix;
    for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
      const a = address.parts[i] ?? 0;
      const n = network.parts[i] ?? 0;
      const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
      if ((a & mask) !== (n & mask)) return false;
    }
    return true;
  }
  return false;
}

function fromBytes(bytes: readonly number[]): ParsedAddress {
  if (bytes.length === 4)
    return ipv4(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  const parts: number[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((bytes[i]! << 8) | bytes[i + 1]!);
  return { kind: "ipv6", parts };
}

/** Parses a CIDR (`10.0.0.0/8`, `2001:db8::/32`) with ipaddr.js (policy load time, not the hot path); throws. */
export function parseCidr(text: string): AddressRange {
  const [address, prefix] = ipaddr.parseCIDR(text);
  return { network: fromBytes(address.toByteArray()), prefix };
}

/** The IPv4 address held in the last 32 bits of an IPv6 address. */
export function lastFourBytesAsIpv4(address: ParsedAddress & { kind: "ipv6" }): ParsedAddress {
  return ipv4(((address.parts[6] ?? 0) << 16) | (address.parts[7] ?? 0));
}

/** The IPv4 address embedded in a 6to4 address (`2002:AABB:CCDD::/48`). */
export function sixToFourIpv4(address: ParsedAddress & { kind: "ipv6" }): ParsedAddress {
  return ipv4(((address.parts[1] ?? 0) << 16) | (address.parts[2] ?? 0));
}

/**
 * For an IPv4-mapped IPv6 range (`::ffff:a.b.c.d/n`, n ≥ 96) the IPv4 range it denotes; otherwise the
 * range unchanged.
 */
export function unmapRange(range: AddressRange): AddressRange {
  const { network, prefix } = range;
  if (network.kind !== "ipv6" || prefix < 96) return range;
  const p = network.parts;
  const mapped = p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0xffff;
  return mapped
    ? { network: lastFourBytesAsIpv4(network as ParsedAddress & { kind: "ipv6" }), prefix: prefix - 96 }
    : range;
}
