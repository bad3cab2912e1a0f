import { encodeEnvelope, encodeMessage, type NetworkError, type WireResult } from "@platform-wasm/wire";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../../test/network/support/dnsServer.js";
import { hostCall, invokeBytes, loopbackPolicy, TEST_INSTANCE } from "../../test/network/support/harness.js";
import { reply, startHttpServer, type TestHttpServer } from "../../test/network/support/httpServer.js";
import {
  NETWORK_IMPORT_NAMES,
  NetworkHostFunctions,
  type NetworkImportName,
} from "./networkHostFunctions.js";
import { createDnsResolver } from "./resolver.js";

const UNIT_ERRORS = new Set(["NetworkDisabled", "Timeout"]);
const DATA_ERRORS = new Set([
  "PolicyViolation",
  "LimitExceeded",
  "DnsFailure",
  "HttpFailure",
  "InvalidRequest",
]);

function expectEnvelope(result: WireResult<unknown, NetworkError>): void {
  expect(Object.keys(result)).toHaveLength(1);
  if ("Err" in result) {
    const error = result.Err;
    if (typeof error === "string") expect(UNIT_ERRORS.has(error)).toBe(true);
    else {
      const entries = Object.entries(error);
      expect(entries).toHaveLength(1);
      const [kind, detail] = entries[0] ?? [];
      expect(DATA_ERRORS.has(String(kind))).toBe(true);
      expect(typeof detail).toBe("string");
    }
  } else {
    expect("Ok" in result).toBe(true);
  }
  expect(() => encodeEnvelope(result)).not.toThrow();
}

let dns: TestDnsServer;
let server: TestHttpServer;
let registrar: NetworkHostFunctions;

beforeAll(async () => {
  dns = await startDnsServer((q) =>
    q.type === "A" && q.name.endsWith(".test") ? [{ type: "A", data: "127.0.0.1" }] : [],
  );
  server = await startHttpServer(reply("fuzz"));
  const policy = loopbackPolicy([server.port], ["127.0.0.1", "*.test", "::1"]);
  // Whatever a fuzzed URL names, only loopback can ever be dialled.
  policy.allowedIpRanges = ["127.0.0.0/8", "::1/128"];
  policy.limits.timeoutMs = 1_000;
  policy.limits.maxRequests = 1_000_000;
  policy.dnsPolicy.maxLookups = 1_000_000;
  registrar = NetworkHostFunctions.all(policy, { resolver: createDnsResolver({ servers: [dns.address] }) });
});
afterAll(async () => {
  await Promise.all([dns.close(), server.close()]);
});

const urls = () =>
  fc.oneof(
    fc.constantFrom(
      `http://127.0.0.1:${server.port}/`,
      `http://api.test:${server.port}/x?y=1`,
      `http://[::1]:${server.port}/`,
      `http://2130706433:${server.port}/`,
      "http://127.0.0.1:1/",
      "ftp://127.0.0.1/",
      "http://user:pass@127.0.0.1/",
      "not a url",
      "",
    ),
    fc.webUrl(),
    fc.string(),
    fc.anything(),
  );

const headers = fc.oneof(
  fc.dictionary(
    fc.string({ maxLength: 12 }),
    fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
  ),
  fc.anything(),
);
const body = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string(), fc.anything());

function structured(name: NetworkImportName): fc.Arbitrary<unknown> {
  switch (name) {
    case "http_request":
      return fc.record(
        {
          method: fc.oneof(
            fc.constantFrom("get", "post", "put", "patch", "delete", "head", "options", "GET", "trace"),
            fc.anything(),
          ),
          url: urls(),
          headers,
          body,
        },
        { requiredKeys: [] },
      );
    case "http_get":
      return fc.record({ url: urls(), headers }, { requiredKeys: [] });
    case "http_post":
      return fc.record({ url: urls(), headers, body }, { requiredKeys: [] });
    case "dns_resolve":
      return fc.record(
        {
          hostname: fc.oneof(
            fc.constantFrom("api.test", "x.test", "API.TEST.", "evil.com", "", "a..test"),
            fc.domain(),
            fc.string(),
            fc.anything(),
          ),
          record_type: fc.oneof(fc.constantFrom("a", "aaaa", "cname", "txt", "mx", "A"), fc.anything()),
        },
        { requiredKeys: [] },
      );
  }
}

function encodeOrSkip(value: unknown): Uint8Array | undefined {
  try {
    return encodeMessage(value);
  } catch {
    return undefined;
  }
}

describe.each(NETWORK_IMPORT_NAMES)("fuzzed requests to %s", (name) => {
  it("arbitrary bytes give only typed Ok/Err envelopes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        const result = await invokeBytes(
          registrar,
          name,
          bytes,
          hostCall(registrar.createState(TEST_INSTANCE)),
        );
        expectEnvelope(result);
      }),
      { numRuns: 150 },
    );
  });

  it("structurally plausible requests give only typed Ok/Err envelopes", async () => {
    await fc.assert(
      fc.asyncProperty(structured(name), async (value) => {
        const bytes = encodeOrSkip(value);
        if (bytes === undefined) return;
        const result = await invokeBytes(
          registrar,
          name,
          bytes,
          hostCall(registrar.createState(TEST_INSTANCE)),
        );
        expectEnvelope(result);
      }),
      { numRuns: 120 },
    );
  }, 60_000);
});

describe("a misbehaving injected resolver", () => {
  it("still yields only typed envelopes from every import", async () => {
    const policy = loopbackPolicy([server.port], ["*.test"]);
    // Only 127.0.0.1 may ever be dialled, whatever the resolver claims.
    policy.allowedIpRanges = ["127.0.0.1/32"];
    policy.limits.timeoutMs = 500;
    policy.limits.maxRequests = 1_000_000;
    policy.dnsPolicy.maxLookups = 1_000_000;
    policy.dnsPolicy.cacheTtlSecs = 0;
    const answer = fc.oneof(
      fc.array(fc.oneof(fc.constantFrom("127.0.0.1", "127.0.0.2", "::1", "10.0.0.1", "", "x"), fc.string()), {
        maxLength: 4,
      }),
      fc.anything(),
    );
    const behaviour = fc.oneof(
      answer.map((value) => () => Promise.resolve(value)),
      fc.anything().map((reason) => () => Promise.reject(reason)),
      fc.anything().map((reason) => () => {
        throw reason;
      }),
    );
    await fc.assert(
      fc.asyncProperty(behaviour, fc.constantFrom(...NETWORK_IMPORT_NAMES), async (resolve, name) => {
        const r = NetworkHostFunctions.all(policy, { resolver: { resolve: resolve as never } });
        const request =
          name === "dns_resolve"
            ? { hostname: "api.test", record_type: "a" }
            : { method: "get", url: `http://api.test:${server.port}/`, headers: {}, body: new Uint8Array(0) };
        const result = await invokeBytes(
          r,
          name,
          encodeMessage(request),
          hostCall(r.createState(TEST_INSTANCE)),
        );
        expectEnvelope(result);
      }),
      { numRuns: 200 },
    );
  });
});
