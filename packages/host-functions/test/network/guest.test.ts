// End-to-end: a real guest (packages/guest-fixtures/wat/net-abi.wat) calls platform_network through the
// WasmRuntime exactly as a challenge does; the host performs the exchange against loopback servers.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { type ChallengeInstance, isRuntimeError, type WasmModule, WasmRuntime } from "@platform-wasm/runtime";
import { decodeDnsEnvelope, decodeHttpEnvelope, encodeMessage } from "@platform-wasm/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDnsResolver, NetworkHostFunctions } from "../../src/index.js";
import { startDnsServer, type TestDnsServer } from "./support/dnsServer.js";
import { loopbackPolicy, memoryAudit } from "./support/harness.js";
import { startHttpServer, type TestHttpServer } from "./support/httpServer.js";

// Guest memory layout of the net-abi fixture (48 pages = 3 MiB).
const REQ = 65_536;
const RESP = 1_048_576;

let runtime: WasmRuntime;
let module: WasmModule;
let dns: TestDnsServer;
let server: TestHttpServer;
let silent: TestHttpServer;

beforeAll(async () => {
  runtime = new WasmRuntime({ workerPoolSize: 1 });
  module = await runtime.compileModule(loadFixture("net-abi"));
  dns = await startDnsServer((q) =>
    q.type === "A" && q.name === "api.test" ? [{ type: "A", data: "127.0.0.1" }] : [],
  );
  server = await startHttpServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(req.url === "/big" ? "b".repeat(10_000) : `hello ${req.method}`);
  });
  silent = await startHttpServer(() => undefined);
});
afterAll(async () => {
  await runtime.close();
  await Promise.all([dns.close(), server.close(), silent.close()]);
});

async function withGuest<T>(
  registrar: NetworkHostFunctions,
  body: (guest: ChallengeInstance) => Promise<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const guest = await runtime.instantiate(
    module,
    { challengeId: "net-e2e", validatorId: "val-e2e", timeoutMs },
    [registrar],
  );
  try {
    return await body(guest);
  } finally {
    await guest.dispose();
  }
}

function network(
  adjust: (p: ReturnType<typeof loopbackPolicy>) => void = () => undefined,
  audit = memoryAudit(),
) {
  const policy = loopbackPolicy([server.port, silent.port]);
  adjust(policy);
  return NetworkHostFunctions.all(policy, {
    resolver: createDnsResolver({ servers: [dns.address] }),
    auditLogger: audit,
  });
}

async function call(
  guest: ChallengeInstance,
  exportName: string,
  request: unknown,
  room = 8192,
): Promise<number> {
  const bytes = encodeMessage(request);
  await guest.writeMemory(REQ, bytes);
  return (await guest.callExport(exportName, REQ, bytes.byteLength, RESP, room)) as number;
}

describe("platform_network through WasmRuntime and a WAT guest", () => {
  it("http_get, http_post, http_request and dns_resolve answer envelopes in guest memory", async () => {
    const audit = memoryAudit();
    const registrar = network(undefined, audit);
    await withGuest(registrar, async (guest) => {
      const got = await call(guest, "get", { url: `http://api.test:${server.port}/`, headers: {} });
      expect(got).toBeGreaterThan(0);
      const envelope = decodeHttpEnvelope(await guest.readMemory(RESP, got));
      expect(envelope).toMatchObject({ Ok: { status: 200, headers: { "content-type": "text/plain" } } });
      expect(Buffer.from((envelope as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("hello GET");

      const posted = await call(guest, "post", {
        url: `${server.origin}/`,
        headers: {},
        body: Buffer.from("x"),
      });
      expect(decodeHttpEnvelope(await guest.readMemory(RESP, posted))).toMatchObject({ Ok: { status: 200 } });
      const deleted = await call(guest, "request", {
        method: "delete",
        url: `${server.origin}/`,
        headers: {},
        body: new Uint8Array(0),
      });
      const del = decodeHttpEnvelope(await guest.readMemory(RESP, deleted));
      expect(Buffer.from((del as { Ok: { body: Uint8Array } }).Ok.body).toString()).toBe("hello DELETE");

      const resolved = await call(guest, "resolve", { hostname: "api.test", record_type: "a" });
      expect(decodeDnsEnvelope(await guest.readMemory(RESP, resolved))).toEqual({
        Ok: { records: ["127.0.0.1"] },
      });

      const refused = await call(guest, "get", { url: `http://evil.example:${server.port}/`, headers: {} });
      expect(decodeHttpEnvelope(await guest.readMemory(RESP, refused))).toMatchObject({
        Err: { PolicyViolation: expect.any(String) },
      });
      const garbage = await guest.callExport("get", REQ, 3, RESP, 8192);
      expect(decodeHttpEnvelope(await guest.readMemory(RESP, garbage as number))).toMatchObject({
        Err: { InvalidRequest: expect.any(String) },
      });

      expect(guest.stateOf(registrar)).toMatchObject({ requestsMade: 3, dnsLookups: 1 });
      expect(audit.entries[0]).toMatchObject({ challengeId: "net-e2e", validatorId: "val-e2e" });
    });
  });

  it("keeps a response that does not fit for take_result, without re-sending the request", async () => {
    await withGuest(network(), async (guest) => {
      const before = server.requests.length;
      const r = await call(guest, "get", { url: `${server.origin}/big`, headers: {} }, 64);
      expect(r).toBeLessThan(-1);
      const needed = -r;
      expect(await guest.callExport("take", RESP, needed)).toBe(needed);
      const envelope = decodeHttpEnvelope(await guest.readMemory(RESP, needed));
      expect((envelope as { Ok: { body: Uint8Array } }).Ok.body.byteLength).toBe(10_000);
      expect(server.requests.length).toBe(before + 1);
    });
  });

  it("answers -1 for bad request memory and sends nothing", async () => {
    const registrar = network();
    await withGuest(registrar, async (guest) => {
      expect(await guest.callExport("get", -1, 10, RESP, 64)).toBe(-1);
      expect(await guest.callExport("get", 0x7fff_fff0, 0x100, RESP, 64)).toBe(-1);
      expect(guest.stateOf(registrar).requestsMade).toBe(0);
    });
  });

  it("enforces the per-instance request budget across guest calls", async () => {
    const registrar = network((p) => {
      p.limits.maxRequests = 3;
    });
    await withGuest(registrar, async (guest) => {
      const before = server.requests.length;
      const bytes = encodeMessage({ url: `${server.origin}/`, headers: {} });
      await guest.writeMemory(REQ, bytes);
      const r = (await guest.callExport("get_loop", REQ, bytes.byteLength, RESP, 8192, 5)) as number;
      expect(decodeHttpEnvelope(await guest.readMemory(RESP, r))).toEqual({
        Err: { LimitExceeded: "http request limit exceeded" },
      });
      expect(guest.stateOf(registrar).requestsMade).toBe(3);
      expect(server.requests.length).toBe(before + 3);
    });
  });

  it("the instance deadline cancels an HTTP exchange in flight", async () => {
    const registrar = network((p) => {
      p.limits.timeoutMs = 60_000;
    });
    const guest = await runtime.instantiate(module, { challengeId: "net-deadline", timeoutMs: 400 }, [
      registrar,
    ]);
    try {
      const bytes = encodeMessage({ url: `${silent.origin}/`, headers: {} });
      await guest.writeMemory(REQ, bytes);
      const started = Date.now();
      const error = await guest.callExport("get", REQ, bytes.byteLength, RESP, 8192).catch((e: unknown) => e);
      expect(isRuntimeError(error) ? error.code : error).toBe("DEADLINE_EXCEEDED");
      expect(Date.now() - started).toBeLessThan(5_000);
      // The host side dropped the connection: the silent server sees its socket closed.
      await expect.poll(() => silent.openSockets, { timeout: 3_000 }).toBe(0);
      expect(silent.connections).toBeGreaterThan(0);
    } finally {
      await guest.dispose();
    }
  });
});
