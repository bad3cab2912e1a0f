import { describe, expect, it } from "vitest";
import { type AddressClass, analyzeAddress, classifyAddress, isPrivateAddress } from "./addressClass.js";

describe("reference private-address cases", () => {
  it.each(["127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.1.1", "0.0.0.0"])(
    "%s is private",
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(["8.8.8.8", "1.1.1.1"])("%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false));
  it("IPv6 ::1 and :: are private, 2001:4860:4860::8888 is public", () => {
    expect(isPrivateAddress("::1")).toBe(true);
    expect(isPrivateAddress("::")).toBe(true);
    expect(isPrivateAddress("2001:4860:4860::8888")).toBe(false);
  });
  it("CGNAT is exactly 100.64.0.0/10", () => {
    expect(classifyAddress("100.64.0.1")).toBe("carrierGradeNat");
    expect(classifyAddress("100.127.255.254")).toBe("carrierGradeNat");
    expect(isPrivateAddress("100.128.0.1")).toBe(false);
    expect(isPrivateAddress("100.63.255.255")).toBe(false);
  });
  it.each(["192.0.2.1", "198.51.100.1", "203.0.113.1"])("documentation %s is private", (ip) => {
    expect(classifyAddress(ip)).toBe("documentation");
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it("broadcast and multicast are private", () => {
    expect(classifyAddress("255.255.255.255")).toBe("broadcast");
    expect(classifyAddress("224.0.0.1")).toBe("multicast");
    expect(classifyAddress("ff02::1")).toBe("multicast");
  });
});

describe("classification table", () => {
  const table: [string, AddressClass][] = [
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["127.255.255.254", "loopback"],
    ["10.255.255.255", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "unicast"],
    ["192.168.0.1", "private"],
    ["169.254.0.1", "linkLocal"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["192.0.0.192", "metadata"],
    ["192.0.0.8", "reserved"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["198.20.0.1", "unicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.254", "reserved"],
    ["93.184.216.34", "unicast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fd00:ec2::254", "metadata"],
    ["fec0::1", "private"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001:2::1", "benchmarking"],
    ["2001::1", "reserved"],
    ["100::1", "reserved"],
    ["64:ff9b:1::1", "reserved"],
    ["4000::1", "reserved"],
    ["2606:4700::1111", "unicast"],
    ["[2606:4700::1111]", "unicast"],
  ];
  it.each(table)("%s → %s", (ip, expected) => expect(classifyAddress(ip)).toBe(expected));
});

describe("IPv6 forms that embed IPv4 are judged by the IPv4 address", () => {
  const table: [string, AddressClass, string][] = [
    ["::ffff:127.0.0.1", "loopback", "127.0.0.1"],
    ["::ffff:7f00:1", "loopback", "127.0.0.1"],
    ["::ffff:10.0.0.1", "private", "10.0.0.1"],
    ["::ffff:169.254.169.254", "metadata", "169.254.169.254"],
    ["::ffff:8.8.8.8", "unicast", "8.8.8.8"],
    ["::127.0.0.1", "loopback", "127.0.0.1"],
    ["::10.0.0.1", "private", "10.0.0.1"],
    ["::ffff:0:127.0.0.1", "loopback", "127.0.0.1"],
    ["64:ff9b::127.0.0.1", "loopback", "127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "metadata", "169.254.169.254"],
    ["64:ff9b::808:808", "unicast", "8.8.8.8"],
    ["2002:7f00:1::", "loopback", "127.0.0.1"],
    ["2002:c0a8:101::1", "private", "192.168.1.1"],
    ["2002:808:808::1", "unicast", "8.8.8.8"],
  ];
  it.each(table)("%s → %s (%s)", (ip, expected, embedded) => {
    const info = analyzeAddress(ip);
    expect(info?.addressClass).toBe(expected);
    expect(info?.embeddedIpv4).toBe(embedded);
  });
});

describe("numeric IPv4 spellings are canonicalized before classification", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["0xa9.0xfe.0xa9.0xfe", "169.254.169.254"],
    ["012.0.0.1", "10.0.0.1"],
  ])("%s is %s", (spelling, canonical) => {
    expect(analyzeAddress(spelling)?.canonical).toBe(canonical);
    expect(isPrivateAddress(spelling)).toBe(true);
  });
});

describe("invalid input fails closed", () => {
  it.each([
    "",
    "x",
    "1.2.3.4.5",
    "256.1.1.1",
    "fe80::1%eth0",
    "::ffff:1.2.3.4%1",
    "1.2.3.4/8",
    " 1.2.3.4",
    "1:2:3:4:5:6:7:8:9",
  ])("%j is invalid and counts as private", (ip) => {
    expect(classifyAddress(ip)).toBe("invalid");
    expect(isPrivateAddress(ip)).toBe(true);
  });
});
