import {
  type AddressRange,
  formatAddress,
  inRange,
  lastFourBytesAsIpv4,
  type ParsedAddress,
  parseAddress,
  parseCidr,
  sixToFourIpv4,
} from "./internal/ipAddress.js";

/**
 * What an address is, for connection decisions. Every class except `"unicast"` (public, globally
 * routable) is refused when `blockPrivateRanges` is on. `"invalid"` means the text was not an address.
 */
export type AddressClass =
  | "unicast"
  | "unspecified"
  | "loopback"
  | "private"
  | "linkLocal"
  | "metadata"
  | "carrierGradeNat"
  | "documentation"
  | "benchmarking"
  | "multicast"
  | "broadcast"
  | "uniqueLocal"
  | "reserved"
  | "invalid";

/** Result of {@link analyzeAddress}. */
export interface AddressInfo {
  /** Canonical text of the address as given (RFC 5952 for IPv6, dotted quad for IPv4). */
  canonical: string;
  family: "ipv4" | "ipv6";
  /** The class; for IPv6 forms that embed an IPv4 address, the class of that IPv4 address. */
  addressClass: AddressClass;
  /** The IPv4 address an IPv4-mapped/-compatible, NAT64 (64:ff9b::/96) or 6to4 address stands for. */
  embeddedIpv4: string | undefined;
  /** How the IPv4 address is embedded; `"mapped"` (and RFC 6145 translated) reaches the IPv4 host directly. */
  embedding: "mapped" | "compatible" | "nat64" | "6to4" | undefined;
}

/**
 * Cloud metadata endpoints. They sit inside link-local or private ranges already; naming them gives a
 * clearer refusal and keeps them blocked even if those ranges were ever opened.
 */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(
  [
    "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean …
    "169.254.170.2", // AWS ECS task metadata
    "169.254.169.253", // AWS VPC DNS
    "100.100.100.200", // Alibaba Cloud
    "192.0.0.192", // Oracle Cloud
    "fd00:ec2::254", // AWS IMDS over IPv6
    "fd00:ec2::23", // AWS Time Sync over IPv6
  ].map((text) => formatAddress(parseAddress(text)!)),
);

type Table = readonly (readonly [AddressClass, AddressRange])[];

function table(rows: readonly (readonly [AddressClass, string])[]): Table {
  return rows.map(([name, cidr]) => [name, parseCidr(cidr)] as const);
}

/** IPv4 special-purpose ranges (IANA registry), most specific first. */
const IPV4_TABLE = table([
  ["broadcast", "255.255.255.255/32"],
  ["unspecified", "0.0.0.0/8"],
  ["loopback", "127.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["private", "172.16.0.0/12"],
  ["private", "192.168.0.0/16"],
  ["linkLocal", "169.254.0.0/16"],
  ["carrierGradeNat", "100.64.0.0/10"],
  ["documentation", "192.0.2.0/24"],
  ["documentation", "198.51.100.0/24"],
  ["documentation", "203.0.113.0/24"],
  ["benchmarking", "198.18.0.0/15"],
  ["reserved", "192.0.0.0/24"], // IETF protocol assignments
  ["reserved", "192.88.99.0/24"], // deprecated 6to4 relay anycast
  ["multicast", "224.0.0.0/4"],
  ["reserved", "240.0.0.0/4"],
]);

/** IPv6 special-purpose ranges; anything outside 2000::/3 (global unicast) is `reserved`. */
const IPV6_TABLE = table([
  ["reserved", "64:ff9b:1::/48"], // local-use NAT64
  ["reserved", "100::/64"], // discard-only
  ["benchmarking", "2001:2::/48"],
  ["reserved", "2001::/23"], // IETF protocol assignments, incl. Teredo (2001::/32)
  ["documentation", "2001:db8::/32"],
  ["documentation", "3fff::/20"],
  ["uniqueLocal", "fc00::/7"],
  ["linkLocal", "fe80::/10"],
  ["private", "fec0::/10"], // deprecated site-local
  ["multicast", "ff00::/8"],
]);

const IPV6_UNSPECIFIED = parseCidr("::/128");
const IPV6_LOOPBACK = parseCidr("::1/128");
const GLOBAL_UNICAST_V6 = parseCidr("2000::/3");
const IPV4_MAPPED = parseCidr("::ffff:0:0/96");
const IPV4_TRANSLATED = parseCidr("::ffff:0:0:0/96"); // RFC 6145
const IPV4_COMPATIBLE = parseCidr("::/96");
const NAT64 = parseCidr("64:ff9b::/96");
const SIX_TO_FOUR = parseCidr("2002::/16");

function classifyIpv4(address: ParsedAddress): AddressClass {
  if (METADATA_ADDRESSES.has(formatAddress(address))) return "metadata";
  for (const [name, range] of IPV4_TABLE) if (inRange(address, range)) return name;
  return "unicast";
}

type Embedding = NonNullable<AddressInfo["embedding"]>;

/** The IPv4 address an IPv6 address stands for, if it is one of the embedding forms. */
function embeddedIpv4Of(address: ParsedAddress & { kind: "ipv6" }): [ParsedAddress, Embedding] | undefined {
  if (inRange(address, IPV4_MAPPED) || inRange(address, IPV4_TRANSLATED)) {
    return [lastFourBytesAsIpv4(address), "mapped"];
  }
  if (inRange(address, NAT64)) return [lastFourBytesAsIpv4(address), "nat64"];
  // ::/96 also holds `::` and `::1`; the caller classifies those before asking.
  if (inRange(address, IPV4_COMPATIBLE)) return [lastFourBytesAsIpv4(address), "compatible"];
  if (inRange(address, SIX_TO_FOUR)) return [sixToFourIpv4(address), "6to4"];
  return undefined;
}

/**
 * Parses and classifies an address. Returns `undefined` when `ip` is not an IP literal (zone ids refused).
 * @example analyzeAddress("::ffff:127.0.0.1")?.addressClass === "loopback"
 */
export function analyzeAddress(ip: string): AddressInfo | undefined {
  const address = parseAddress(ip);
  if (address === undefined) return undefined;
  const canonical = formatAddress(address);
  if (address.kind === "ipv4") {
    return {
      canonical,
      family: "ipv4",
      addressClass: classifyIpv4(address),
      embeddedIpv4: undefined,
      embedding: undefined,
    };
  }
  const v6 = address;
  if (METADATA_ADDRESSES.has(canonical)) {
    return {
      canonical,
      family: "ipv6",
      addressClass: "metadata",
      embeddedIpv4: undefined,
      embedding: undefined,
    };
  }
  // `::` and `::1` lie inside the IPv4-compatible block but are IPv6's own unspecified/loopback.
  if (inRange(v6, IPV6_UNSPECIFIED)) {
    return {
      canonical,
      family: "ipv6",
      addressClass: "unspecified",
      embeddedIpv4: undefined,
      embedding: undefined,
    };
  }
  if (inRange(v6, IPV6_LOOPBACK)) {
    return {
      canonical,
      family: "ipv6",
      addressClass: "loopback",
      embeddedIpv4: undefined,
      embedding: undefined,
    };
  }
  const embedded = embeddedIpv4Of(v6);
  if (embedded !== undefined) {
    const [ipv4, embedding] = embedded;
    return {
      canonical,
      family: "ipv6",
      addressClass: classifyIpv4(ipv4),
      embeddedIpv4: formatAddress(ipv4),
      embedding,
    };
  }
  for (const [name, range] of IPV6_TABLE) {
    if (inRange(v6, range))
      return { canonical, family: "ipv6", addressClass: name, embeddedIpv4: undefined, embedding: undefined };
  }
  const addressClass: AddressClass = inRange(v6, GLOBAL_UNICAST_V6) ? "unicast" : "reserved";
  return { canonical, family: "ipv6", addressClass, embeddedIpv4: undefined, embedding: undefined };
}

/**
 * Classifies an IP literal (IPv4 in any numeric form, IPv6 with or without brackets).
 * IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 addresses are classified by their embedded IPv4.
 * @example classifyAddress("169.254.169.254") === "metadata"; classifyAddress("8.8.8.8") === "unicast"
 */
export function classifyAddress(ip: string): AddressClass {
  return analyzeAddress(ip)?.addressClass ?? "invalid";
}

/**
 * True for every address that is not public unicast — private, loopback, link-local, metadata, CGNAT,
 * documentation, benchmarking, multicast, broadcast, unspecified, unique-local, reserved — and for text
 * that is not an address at all (fail closed).
 * @example isPrivateAddress("10.0.0.1") === true; isPrivateAddress("2001:4860:4860::8888") === false
 */
export function isPrivateAddress(ip: string): boolean {
  return classifyAddress(ip) !== "unicast";
}
