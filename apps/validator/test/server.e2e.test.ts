// End-to-end: `validator serve` as a subprocess, spoken to over real loopback HTTP.

import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  b64,
  copyFixtures,
  postEvaluate,
  requireBuilt,
  type ServedValidator,
  startServer,
  tempDir,
} from "./helpers.js";

const HOSTILE_DEADLINE_MS = 8_000;

let root: string;
let moduleDir: string;
const servers: ServedValidator[] = [];

beforeAll(async () => {
  requireBuilt();
  root = await tempDir("serve");
  moduleDir = path.join(root, "modules");
  await mkdir(path.join(moduleDir, "nested"), { recursive: true });
  await copyFixtures(moduleDir, [
    "val-success",
    "val-echo-length",
    "val-trap",
    "val-infinite-loop",
    "val-memory-bomb",
    "val-slow",
  ]);
  await copyFixtures(path.join(moduleDir, "nested"), ["val-success"]);
  // Runaway guests for the isolation test, with a deadline long enough that "answered before the
  // hostile guests stopped" holds even on a loaded machine.
  await mkdir(path.join(moduleDir, "hostile"), { recursive: true });
  await copyFixtures(path.join(moduleDir, "hostile"), ["val-infinite-loop", "val-exec-flood"]);
  for (const name of ["val-infinite-loop", "val-exec-flood"]) {
    await writeFile(
      path.join(moduleDir, "hostile", `${name}.policy.json`),
      JSON.stringify({ limits: { timeout_ms: HOSTILE_DEADLINE_MS } }),
    );
  }
  await writeFile(
    path.join(moduleDir, "val-infinite-loop.policy.json"),
    JSON.stringify({ limits: { timeout_ms: 4000 } }),
  );
  await writeFile(
    path.join(moduleDir, "val-memory-bomb.policy.yaml"),
    `limits:\n  max_memory_bytes: ${2 * 1024 * 1024}\n`,
  );
  // The drain test's in-flight guest computes for about a second; give it room on a loaded machine.
  await writeFile(
    path.join(moduleDir, "val-slow.policy.json"),
    JSON.stringify({ limits: { timeout_ms: 60_000 } }),
  );
  await copyFixtures(root, ["val-success"]);
  await symlink(path.join(root, "val-success.wasm"), path.join(moduleDir, "escape.wasm"));
});

afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

async function serve(env: Record<string, string> = {}): Promise<ServedValidator> {
  const server = await startServer(moduleDir, env);
  servers.push(server);
  return server;
}

function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method,
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    // Write only a little of what Content-Length announces: the server must answer without reading it all.
    if (options.body !== undefined) req.write(options.body);
    if (options.headers?.["content-length"] === undefined) req.end();
  });
}

describe("validator serve", () => {
  let server: ServedValidator;
  beforeAll(async () => {
    // Warm workers for the concurrency test: healthy requests then never wait for a worker to start
    // while runaway guests hold the CPU (operators size VALIDATOR_WORKERS the same way).
    server = await serve({ VALIDATOR_WORKERS: "10" });
  });

  it("answers /healthz", async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, status: "serving" });
  });

  it("evaluates a module from the module directory", async () => {
    const { status, body } = await postEvaluate(server.baseUrl, {
      module: "val-echo-length.wasm",
      input: b64("x".repeat(1000)),
      challenge_id: "c-1",
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      output: { score: 1000, valid: true, message: "agent_data length" },
    });
    expect(Object.keys(body.metrics as object).sort()).toEqual(
      [
        "execution_time_ms",
        "fuel_consumed",
        "memory_used_bytes",
        "network_requests",
        "sandbox_executions",
      ].sort(),
    );
    const nested = await postEvaluate(server.baseUrl, { module: "nested/val-success.wasm", input: "" });
    expect(nested.status).toBe(200);
  });

  it("answers guest failures with their code", async () => {
    const { status, body } = await postEvaluate(server.baseUrl, { module: "val-trap.wasm", input: "" });
    expect(status).toBe(422);
    expect(body).toMatchObject({ ok: false, error: { code: "GUEST_TRAP" } });
  });

  it("reports a missing module", async () => {
    const { status, body } = await postEvaluate(server.baseUrl, { module: "absent.wasm", input: "" });
    expect(status).toBe(404);
    expect(body).toMatchObject({ ok: false, error: { code: "MODULE_NOT_FOUND" } });
  });

  it.each([
    "../val-success.wasm",
    "nested/../../val-success.wasm",
    path.join("/", "etc", "passwd.wasm"),
    "escape.wasm",
    "..\\val-success.wasm",
  ])("refuses the module name %j", async (module) => {
    const { status, body } = await postEvaluate(server.baseUrl, { module, input: "" });
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: { code: "MODULE_NAME_INVALID" } });
  });

  it("refuses malformed requests", async () => {
    const notJson = await rawRequest(server.baseUrl, { method: "POST", path: "/v1/evaluate", body: "{" });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const badBase64 = await postEvaluate(server.baseUrl, { module: "val-success.wasm", input: "***" });
    expect(badBase64.status).toBe(400);
    const wrongMethod = await fetch(`${server.baseUrl}/v1/evaluate`);
    expect(wrongMethod.status).toBe(405);
    const unknown = await fetch(`${server.baseUrl}/v2/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("refuses an oversized body before reading it", async () => {
    const response = await rawRequest(server.baseUrl, {
      method: "POST",
      path: "/v1/evaluate",
      headers: { "content-type": "application/json", "content-length": String(512 * 1024 * 1024) },
      body: '{"module":',
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: "REQUEST_TOO_LARGE" } });
  });

  it("keeps serving healthy requests while hostile modules run", async () => {
    const started = performance.now();
    const finished = (promise: ReturnType<typeof postEvaluate>) =>
      promise.then((result) => ({ ...result, at: performance.now() }));
    const runaways = [
      finished(postEvaluate(server.baseUrl, { module: "hostile/val-infinite-loop.wasm", input: "" })),
      finished(postEvaluate(server.baseUrl, { module: "hostile/val-infinite-loop.wasm", input: "" })),
      finished(postEvaluate(server.baseUrl, { module: "hostile/val-exec-flood.wasm", input: "" })),
    ];
    const bomb = postEvaluate(server.baseUrl, { module: "val-memory-bomb.wasm", input: "" });
    // Let the hostile guests start spinning first.
    await new Promise((r) => setTimeout(r, 300));
    const healthy = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        finished(postEvaluate(server.baseUrl, { module: "val-echo-length.wasm", input: b64("x".repeat(i)) })),
      ),
    );
    const stopped = await Promise.all(runaways);
    for (const [i, result] of healthy.entries()) {
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ ok: true, output: { score: i } });
    }
    // Every healthy request was answered while the runaway guests (two infinite loops and an exec flood)
    // were still running — they only stop at their deadline — so none of them waited for a hostile one.
    const lastHealthy = Math.max(...healthy.map((r) => r.at));
    const firstStopped = Math.min(...stopped.map((r) => r.at));
    expect(lastHealthy).toBeLessThan(firstStopped);
    expect(firstStopped - started).toBeGreaterThanOrEqual(HOSTILE_DEADLINE_MS);
    for (const result of stopped) {
      expect(result.body).toMatchObject({ ok: false, error: { code: "DEADLINE_EXCEEDED" } });
    }
    expect((await bomb).body).toMatchObject({ ok: false, error: { code: "MEMORY_LIMIT" } });
    const after = await postEvaluate(server.baseUrl, { module: "val-success.wasm", input: "" });
    expect(after.status).toBe(200);
  });
});

describe("validator serve capacity and shutdown", () => {
  it("carries a multi-megabyte input to the guest", async () => {
    // Its own server: after an input this large the runtime's worker stays slow for later evaluations
    // (reported to the runtime), which would skew the timing-based isolation test above.
    const server = await serve();
    const size = 8 * 1024 * 1024;
    const { status, body } = await postEvaluate(server.baseUrl, {
      module: "val-echo-length.wasm",
      input: Buffer.alloc(size, 1).toString("base64"),
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, output: { score: size } });
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("answers 503 OVER_CAPACITY beyond the runtime's bound", async () => {
    const server = await serve({ VALIDATOR_MAX_INSTANCES: "1", VALIDATOR_MAX_QUEUED: "0" });
    const busy = postEvaluate(server.baseUrl, { module: "val-infinite-loop.wasm", input: "" });
    await new Promise((r) => setTimeout(r, 300));
    const refused = await postEvaluate(server.baseUrl, { module: "val-success.wasm", input: "" });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, error: { code: "OVER_CAPACITY" } });
    expect((await busy).body).toMatchObject({ ok: false, error: { code: "DEADLINE_EXCEEDED" } });
    const later = await postEvaluate(server.baseUrl, { module: "val-success.wasm", input: "" });
    expect(later.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("drains in-flight work on SIGTERM and exits cleanly", async () => {
    const server = await serve();
    const inFlight = postEvaluate(server.baseUrl, { module: "val-slow.wasm", input: "" });
    await new Promise((r) => setTimeout(r, 150));
    server.child.kill("SIGTERM");
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ ok: true, output: { score: 100 } });
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain("SIGTERM: draining 1 in-flight request(s)");
    expect(server.output().stdout).toContain("validator stopped");
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();
  });

  it("exits at once on a second signal during the drain", async () => {
    const server = await serve();
    const inFlight = postEvaluate(server.baseUrl, {
      module: "hostile/val-infinite-loop.wasm",
      input: "",
    }).then(
      () => "answered",
      () => "cut off",
    );
    await new Promise((r) => setTimeout(r, 300));
    const signalled = performance.now();
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(1);
    // Well before the runaway guest's 8 s deadline.
    expect(performance.now() - signalled).toBeLessThan(HOSTILE_DEADLINE_MS - 1_000);
    expect(await inFlight).toBe("cut off");
    expect(server.output().stderr).toContain(
      "SIGTERM during drain: exiting without waiting for in-flight work",
    );
  });
});
