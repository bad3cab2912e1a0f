// Validator service: evaluations per second and latency through the HTTP API (`POST /v1/evaluate` over
// loopback, keep-alive) against the same executor called directly and against a bare node:http echo
// server (transport alone), all measured in the same run; plus the CLI's cold start
// (`validator evaluate --json`, process start to exit) against a bare `node -e 0`.
// Run: `pnpm bench validator` (VALIDATOR_BENCH_EVALUATIONS overrides the count per mode).
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { ValidatorServer, WasmChallengeExecutor } from "@platform-wasm/validator";
import type { BenchSuite } from "../suite.js";

const TOTAL = Number(process.env.VALIDATOR_BENCH_EVALUATIONS ?? 2_000);
const CONCURRENCY = 4;
const COLD_RUNS = 5;
const CLI = fileURLToPath(new URL("../../apps/validator/dist/cli.js", import.meta.url));

interface Figures {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function drive(call: () => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        next++;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: TOTAL / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function row(mode: string, f: Figures): Record<string, string> {
  return { mode, "evals/s": f.perSecond.toFixed(0), "p50 ms": f.p50.toFixed(2), "p99 ms": f.p99.toFixed(2) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, {
    env: { ...process.env, OTEL_SDK_DISABLED: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr.toString()}`);
  return performance.now() - t0;
}

const suite: BenchSuite = {
  name: "validator",
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), "pw-validator-bench-"));
    const module = path.join(dir, "val-echo-length.wasm");
    await copyFile(fixturePath("val-echo-length"), module);
    const input = new TextEncoder().encode('{"answer":"42"}');
    const body = JSON.stringify({
      module: "val-echo-length.wasm",
      input: Buffer.from(input).toString("base64"),
    });
    const executor = new WasmChallengeExecutor({
      validatorId: "bench",
      moduleDir: dir,
      runtime: { maxInstances: CONCURRENCY },
    });
    const server = new ValidatorServer({ executor, port: 0 });
    const address = await server.listen();
    const echo = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    // node:http with a keep-alive agent as the client: undici's fetch costs several ms per request on
    // this machine and would dominate the figures.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const post = (url: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          url,
          { method: "POST", agent, headers: { "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (d: string) => {
              text += d;
            });
            res.on("end", () => resolve(text));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    try {
      // Warm-up: compile once, start the workers.
      for (let i = 0; i < 20; i++) await executor.executeEvaluation("val-echo-length.wasm", { input });
      const direct = await drive(async () => {
        const { output } = await executor.executeEvaluation("val-echo-length.wasm", { input });
        if (output.score !== input.byteLength) throw new Error("wrong score");
      });
      const serviceUrl = `http://127.0.0.1:${address.port}/v1/evaluate`;
      const http = await drive(async () => {
        const json = JSON.parse(await post(serviceUrl)) as { ok: boolean };
        if (!json.ok) throw new Error(JSON.stringify(json));
      });
      const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
      const transport = await drive(async () => {
        await post(echoUrl);
      });
      console.log(
        `${TOTAL} evaluations per mode, ${CONCURRENCY} concurrent, module val-echo-length (cached)`,
      );
      console.table([
        row("executor (direct)", direct),
        row("HTTP POST /v1/evaluate", http),
        row("HTTP echo (transport only)", transport),
      ]);
      console.log(`HTTP throughput / direct: ${(http.perSecond / direct.perSecond).toFixed(2)}×`);
    } finally {
      agent.destroy();
      await new Promise((resolve) => echo.close(resolve));
      await server.close();
      await executor.close();
    }

    const bare = median(Array.from({ length: COLD_RUNS }, () => timeProcess(["-e", "0"])));
    const cli = median(
      Array.from({ length: COLD_RUNS }, () =>
        timeProcess([CLI, "evaluate", module, "--input", fixturePath("val-echo-length"), "--json"]),
      ),
    );
    console.table([
      { process: "node -e 0", "median ms": bare.toFixed(0) },
      { process: "validator evaluate --json (cold, OTEL_SDK_DISABLED)", "median ms": cli.toFixed(0) },
    ]);
    await rm(dir, { recursive: true, force: true });
  },
};

export default suite;
