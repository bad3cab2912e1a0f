// Every platform_network wrapper of the SDK against the real host functions (@platform-wasm/host-functions)
// on the real runtime: HTTP to a loopback server, DNS through an injected resolver (no system resolver),
// and policy refusals arriving as typed errors.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NetworkHostFunctions } from "@platform-wasm/host-functions";
import { defaultNetworkPolicy, type NetworkPolicy } from "@platform-wasm/policy";
import { type HostFunctionRegistrar, WasmRuntime } from "@platform-wasm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestPath } from "./support/codecHarness.js";

// The guest's abort handler imports log_message; this test only needs it to exist.
const logRegistrar: HostFunctionRegistrar<null> = {
  namespace: "platform_sandbox",
  createState: () => null,
  imports: [
    {
      kind: "worker",
      name: "log_message",
      params: ["i32", "i32", "i32"],
      results: [],
      moduleUrl: new URL("./support/logImport.mjs", import.meta.url).href,
      exportName: "createLogMessage",
      config: null,
    },
  ],
};

const bigBody = "b".repeat(10_000);
let server: Server;
let port: number;
let runtime: WasmRuntime;
let network: NetworkHostFunctions;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const text =
        request.url === "/big"
          ? bigBody
          : `${request.method} ${Buffer.concat(chunks).toString()} ${request.headers["x-sdk"]}`;
      response.writeHead(200, { "content-type": "text/plain" }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  const policy: NetworkPolicy = defaultNetworkPolicy();
  policy.allowInternet = true;
  policy.http = { allowedHosts: ["127.0.0.1"], allowedSchemes: ["http"], allowedPorts: [port] };
  policy.dnsPolicy = {
    ...policy.dnsPolicy,
    enabled: true,
    allowedHosts: ["ref.test"],
    allowedRecordTypes: ["a", "txt"],
    blockPrivateRanges: false,
  };
  policy.audit = { ...policy.audit, enabled: false };
  network = NetworkHostFunctions.all(policy, {
    resolver: {
      async resolve(hostname, type) {
        if (hostname !== "ref.test") return [];
        return type === "txt" ? ["hello world"] : ["127.0.0.1"];
      },
    },
  });
  runtime = new WasmRuntime({ workerPoolSize: 1 });
});

afterAll(async () => {
  await runtime?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function run(command: string) {
  const module = await runtime.compileModule(new Uint8Array(readFileSync(guestPath("networkGuest"))));
  const instance = await runtime.instantiate(module, { challengeId: "network-guest", timeoutMs: 20_000 }, [
    network,
    logRegistrar,
  ]);
  try {
    return await instance.evaluate({
      agent_data: new TextEncoder().encode(command),
      challenge_id: "network-guest",
      params: new Uint8Array(0),
      task_definition: undefined,
      environment_config: undefined,
    });
  } finally {
    await instance.dispose();
  }
}

describe("SDK platform_network wrappers on the real host functions", () => {
  it("httpGet, httpPost and httpRequest reach an allowed loopback server with headers and bodies", async () => {
    const url = `http://127.0.0.1:${port}/echo`;
    expect(await run(`get ${url}`)).toMatchObject({
      valid: true,
      message: "status=200 type=text/plain body=GET  assemblyscript",
    });
    expect(await run(`post ${url}`)).toMatchObject({
      valid: true,
      message: "status=200 type=text/plain body=POST ping assemblyscript",
    });
    expect(await run(`put ${url}`)).toMatchObject({
      valid: true,
      message: "status=200 type=text/plain body=PUT data assemblyscript",
    });
  });

  it("receives a body larger than the SDK's initial buffer intact", async () => {
    const output = await run(`get http://127.0.0.1:${port}/big`);
    expect(output).toMatchObject({ score: bigBody.length, valid: true });
    expect(output?.message.endsWith(bigBody)).toBe(true);
  });

  it("dnsResolve answers A and TXT records through the policy", async () => {
    expect(await run("dns ref.test a")).toMatchObject({ valid: true, message: "records=127.0.0.1" });
    expect(await run("dns ref.test txt")).toMatchObject({ valid: true, message: "records=hello world" });
  });

  it("returns policy refusals as typed NetworkError values", async () => {
    const otherPort = await run(`get http://127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}/`);
    expect(otherPort?.message).toMatch(/^err=PolicyViolation: /);
    const otherHost = await run("dns example.com a");
    expect(otherHost?.message).toMatch(/^err=PolicyViolation: /);
    const otherType = await run("dns ref.test aaaa");
    expect(otherType?.message).toMatch(/^err=PolicyViolation: /);
  });
});
