import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import { createDnsResolver } from "./resolver.js";

describe("createDnsResolver against a loopback DNS server", () => {
  let server: TestDnsServer;
  beforeAll(async () => {
    server = await startDnsServer((q) => {
      if (q.name === "multi.test" && q.type === "A")
        return [
          { type: "A", data: "127.0.0.1" },
          { type: "A", data: "127.0.0.3" },
        ];
      if (q.name === "multi.test" && q.type === "AAAA") return [{ type: "AAAA", data: "::1" }];
      if (q.name === "alias.test" && q.type === "CNAME") return [{ type: "CNAME", data: "target.test" }];
      if (q.name === "text.test" && q.type === "TXT") return [{ type: "TXT", data: ["v=spf1 ", "-all"] }];
      if (q.name === "silent.test") return "drop";
      if (q.name.endsWith(".test")) return [];
      return undefined;
    });
  });
  afterAll(() => server.close());
  const signal = () => AbortSignal.timeout(5000);

  it("answers each record type", async () => {
    const resolver = createDnsResolver({ servers: [server.address] });
    expect(await resolver.resolve("multi.test", "a", signal())).toEqual(["127.0.0.1", "127.0.0.3"]);
    expect(await resolver.resolve("multi.test", "aaaa", signal())).toEqual(["::1"]);
    expect(await resolver.resolve("alias.test", "cname", signal())).toEqual(["target.test"]);
    expect(await resolver.resolve("text.test", "txt", signal())).toEqual(["v=spf1 -all"]);
  });

  it("gives an empty list for a name without such records and rejects an unknown name", async () => {
    const resolver = createDnsResolver({ servers: [server.address] });
    expect(await resolver.resolve("empty.test", "a", signal())).toEqual([]);
    await expect(resolver.resolve("nowhere.invalid", "a", signal())).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });

  it("stops when the signal aborts", async () => {
    const resolver = createDnsResolver({ servers: [server.address], attemptTimeoutMs: 10_000, tries: 1 });
    const started = Date.now();
    await expect(resolver.resolve("silent.test", "a", AbortSignal.timeout(100))).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
