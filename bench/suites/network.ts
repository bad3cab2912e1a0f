// platform_network costs, each against its baseline in the same run (loopback only):
//  1. one HTTP GET through the http_get handler (decode, admission, policy, pinned connection, capped read,
//     envelope), both on the instance's kept-alive connection and from a fresh instance each time (a new
//     connection), vs a bare node:http GET on a fresh connection and on a pooled keep-alive one;
//  2. the same http_get made by a real guest (net-abi) through WasmRuntime;
//  3. dns_resolve (policy + query to a loopback DNS server, cache off) vs a bare node:dns query, and a cache hit.
// Ours and the baselines run in alternating rounds so load from other processes hits all alike; figures are
// medians of per-round medians.
import { Agent, createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { trace } from "@opentelemetry/api";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { createDnsResolver, NetworkHostFunctions } from "@platform-wasm/host-functions";
import { defaultNetworkPolicy, type NetworkPolicy } from "@platform-wasm/policy";
import { WasmRuntime } from "@platform-wasm/runtime";
import { encodeMessage } from "@platform-wasm/wire";
import { startDnsServer } from "../../packages/host-functions/test/network/support/dnsServer.js";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 9;
const PER_ROUND = 40;
const REQ = 65_536;
const RESP = 1_048_576;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function perOpMicros(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

function policyFor(port: number): NetworkPolicy {
  const policy = defaultNetworkPolicy();
  policy.allowInternet = true;
  policy.http = { allowedHosts: ["127.0.0.1", "*.test"], allowedSchemes: ["http"], allowedPorts: [port] };
  policy.allowedIpRanges = ["127.0.0.0/8"];
  policy.dnsPolicy = {
    enabled: true,
    allowedHosts: ["*.test"],
    allowedRecordTypes: ["a"],
    maxLookups: 1_000_000_000,
    cacheTtlSecs: 0,
    blockPrivateRanges: false,
  };
  policy.limits = { ...policy.limits, maxRequests: 1_000_000_000 };
  policy.audit = { ...policy.audit, enabled: false };
  return policy;
}

const suite: BenchSuite = {
  name: "network",
  async run() {
    const payload = Buffer.alloc(1024, 0x61);
    const server = createServer((_req, res) => res.end(payload));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/`;
    const dns = await startDnsServer((q) => (q.type === "A" ? [{ type: "A", data: "127.0.0.1" }] : []));
    const resolver = createDnsResolver({ servers: [dns.address] });

    const network = NetworkHostFunctions.all(policyFor(port), { resolver });
    const cachedPolicy = policyFor(port);
    cachedPolicy.dnsPolicy.cacheTtlSecs = 3600;
    const cachedNetwork = NetworkHostFunctions.all(cachedPolicy, { resolver });
    const instance = {
      instanceId: "b",
      challengeId: "bench",
      validatorId: "bench",
      restartId: "0",
      configVersion: 1,
    };
    // No SDK is registered in the bench: this is a no-op span, as in a validator without telemetry.
    const span = trace.getTracer("bench").startSpan("bench");
    const signal = new AbortController().signal;
    // One HostCall (state and signal) per measured case, as each runtime instance has its own.
    const callOf = (r: NetworkHostFunctions) => ({
      state: r.createState(instance),
      instance,
      signal: new AbortController().signal,
      span,
    });
    const httpCall = callOf(network);
    const dnsCall = callOf(network);
    const cached = callOf(cachedNetwork);
    const httpGet = network.imports.find((i) => i.name === "http_get")!;
    const dnsResolve = network.imports.find((i) => i.name === "dns_resolve")!;
    const cachedResolve = cachedNetwork.imports.find((i) => i.name === "dns_resolve")!;
    const getBytes = encodeMessage({ url, headers: {} });
    const dnsBytes = encodeMessage({ hostname: "bench.test", record_type: "a" });

    const pool = new Agent({ keepAlive: true, maxSockets: 1 });
    const bareGet = (agent: Agent | false) =>
      new Promise<void>((resolve, reject) => {
        get(url, { agent }, (res) => {
          res.on("data", () => undefined);
          res.on("end", resolve);
          res.on("error", reject);
        }).on("error", reject);
      });
    const freshClient = () => bareGet(false);
    const pooled = () => bareGet(pool);
    const handle = async (call: ReturnType<typeof callOf>) => {
      if (httpGet.kind !== "request") throw new Error("http_get missing");
      const out = await httpGet.handle(getBytes, call);
      if (!("Ok" in out)) throw new Error(`http_get failed: ${JSON.stringify(out.Err)}`);
    };
    const handler = () => handle(httpCall);
    // A fresh instance per request: its own state and signal, ended afterwards (which closes its socket).
    const handlerFresh = async () => {
      const end = new AbortController();
      try {
        await handle({ ...callOf(network), signal: end.signal });
      } finally {
        end.abort();
      }
    };

    const runtime = new WasmRuntime({ workerPoolSize: 1 });
    const module = await runtime.compileModule(loadFixture("net-abi"));
    const guestNetwork = NetworkHostFunctions.all(policyFor(port), { resolver });
    const guest = await runtime.instantiate(module, { challengeId: "bench", timeoutMs: 600_000 }, [
      guestNetwork,
    ]);
    await guest.writeMemory(REQ, getBytes);
    const viaGuest = async () => {
      const r = (await guest.callExport("get", REQ, getBytes.byteLength, RESP, 65_536)) as number;
      if (r <= 0) throw new Error(`guest http_get returned ${r}`);
    };

    const bareDns = () => resolver.resolve("bench.test", "a", signal);
    const ourDns = async () => {
      if (dnsResolve.kind !== "request") throw new Error("dns_resolve missing");
      const out = await dnsResolve.handle(dnsBytes, dnsCall);
      if (!("Ok" in out)) throw new Error(`dns_resolve failed: ${JSON.stringify(out.Err)}`);
    };
    const cacheHit = async () => {
      if (cachedResolve.kind !== "request") throw new Error("dns_resolve missing");
      const out = await cachedResolve.handle(dnsBytes, cached);
      if (!("Ok" in out)) throw new Error("cached dns_resolve failed");
    };

    const rows: Record<string, number[]> = {
      "node:http, fresh connection (baseline)": [],
      "node:http, pooled keep-alive": [],
      "http_get handler, kept-alive connection (ours)": [],
      "http_get handler, fresh instance each (ours)": [],
      "http_get from a guest via WasmRuntime": [],
      "node:dns query (baseline)": [],
      "dns_resolve handler, cache off (ours)": [],
      "dns_resolve handler, cache hit": [],
    };
    const cases: [string, () => Promise<unknown>][] = [
      ["node:http, fresh connection (baseline)", freshClient],
      ["node:http, pooled keep-alive", pooled],
      ["http_get handler, kept-alive connection (ours)", handler],
      ["http_get handler, fresh instance each (ours)", handlerFresh],
      ["http_get from a guest via WasmRuntime", viaGuest],
      ["node:dns query (baseline)", bareDns],
      ["dns_resolve handler, cache off (ours)", ourDns],
      ["dns_resolve handler, cache hit", cacheHit],
    ];
    try {
      for (const [, fn] of cases) await perOpMicros(30, fn); // warm up (JIT, sockets, c-ares)
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, fn] of cases) rows[name]!.push(await perOpMicros(PER_ROUND, fn));
      }
    } finally {
      await guest.dispose();
      await runtime.close();
      pool.destroy();
      await dns.close();
      server.close();
    }
    const httpBase = median(rows["node:http, fresh connection (baseline)"]!);
    const dnsBase = median(rows["node:dns query (baseline)"]!);
    // Loopback HTTP figures swing with machine load; print it so a reader can judge the run.
    console.log(
      `load average (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" / ")}`,
    );
    console.log("| operation (loopback) | median µs/op | vs baseline |");
    console.log("|---|---|---|");
    for (const [name] of cases) {
      const value = median(rows[name]!);
      const base = name.startsWith("node:dns") || name.startsWith("dns_resolve") ? dnsBase : httpBase;
      console.log(`| ${name} | ${value.toFixed(1)} | ×${(value / base).toFixed(2)} |`);
    }
  },
};

export default suite;
