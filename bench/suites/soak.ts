// Soak: 20,000 evaluations through WasmChallengeExecutor, healthy ones mixed with hostile modules (infinite
// loop, memory bomb, exec flood, log flood). Reports RSS over time and its trend after warm-up, worker
// threads and child processes left at the end, and latency percentiles of the healthy evaluations.
// Run: `cd bench && node main.mjs soak` (SOAK_EVALUATIONS overrides the count).
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixturePath } from "@platform-wasm/guest-fixtures";
import { WasmChallengeExecutor } from "@platform-wasm/validator";
import type { BenchSuite } from "../suite.js";

const TOTAL = Number(process.env.SOAK_EVALUATIONS ?? 20_000);
const CONCURRENCY = 4;
const HOSTILE_EVERY = 50; // one hostile evaluation in 50
const SAMPLE_EVERY = 500;

/** Module file → companion policy (snake_case file format). */
const modules: Record<string, unknown> = {
  "val-success": {},
  "val-infinite-loop": { limits: { timeout_ms: 100 } },
  "val-memory-bomb": { limits: { max_memory_bytes: 16 * 1024 * 1024 } },
  "soak-exec-flood": { sandbox: { enabled: true, allowed_commands: ["true"], max_executions: 4 } },
  "soak-log-flood": {},
};
const hostile = ["val-infinite-loop", "val-memory-bomb", "soak-exec-flood", "soak-log-flood"];

/** Threads of this process, from /proc (worker threads are OS threads). */
async function threadCount(): Promise<number> {
  const status = await readFile("/proc/self/status", "utf8");
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
}

/** Processes whose parent chain leads to this process. */
async function descendantCount(): Promise<number> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  let count = 0;
  for (const pid of parents.keys()) {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === process.pid) {
        count++;
        break;
      }
    }
  }
  return count;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const suite: BenchSuite = {
  name: "soak",
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), "pw-soak-"));
    for (const [name, policy] of Object.entries(modules)) {
      await copyFile(fixturePath(name), path.join(dir, `${name}.wasm`));
      await writeFile(path.join(dir, `${name}.wasm.policy.json`), JSON.stringify(policy));
    }
    const threadsBefore = await threadCount();
    // The bench runner's own helpers (tsx starts an esbuild service) are there before and after: count
    // only what the soak adds.
    const childrenBefore = await descendantCount();
    const executor = new WasmChallengeExecutor({
      validatorId: "soak",
      moduleDir: dir,
      runtime: { workerPoolSize: 2, maxInstances: CONCURRENCY },
    });
    const input = new TextEncoder().encode('{"answer":42}');
    const healthyMs: number[] = [];
    const outcomes = new Map<string, number>();
    const rss: Array<[number, number]> = [];
    let next = 0;
    let done = 0;
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < TOTAL) {
            const i = next++;
            const isHostile = i % HOSTILE_EVERY === HOSTILE_EVERY - 1;
            const name = isHostile ? hostile[((i / HOSTILE_EVERY) % hostile.length) | 0]! : "val-success";
            const t0 = performance.now();
            let outcome: string;
            try {
              await executor.executeEvaluation(`${name}.wasm`, { input });
              outcome = `${name}: ok`;
            } catch (error) {
              outcome = `${name}: ${(error as { code?: string }).code ?? "ERROR"}`;
            }
            if (!isHostile) healthyMs.push(performance.now() - t0);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
            done++;
            if (done % SAMPLE_EVERY === 0) rss.push([done, process.memoryUsage().rss / 2 ** 20]);
          }
        }),
      );
    } finally {
      await executor.close();
    }
    const elapsed = (performance.now() - started) / 1000;
    // Give terminated workers a moment to be reaped before counting.
    await new Promise((r) => setTimeout(r, 500));
    const threadsAfter = await threadCount();
    const children = await descendantCount();
    await rm(dir, { recursive: true, force: true });

    const sorted = [...healthyMs].sort((a, b) => a - b);
    const lastHalf = rss.slice(Math.floor(rss.length / 2));
    const meanRss = lastHalf.reduce((s, [, y]) => s + y, 0) / lastHalf.length;
    const slopePct = (slope(lastHalf) * 1000 * 100) / meanRss; // % of mean RSS per 1,000 evaluations

    console.log(`${TOTAL} evaluations in ${elapsed.toFixed(1)} s (${(TOTAL / elapsed).toFixed(0)}/s)`);
    console.table([...outcomes.entries()].sort().map(([outcome, count]) => ({ outcome, count })));
    console.log("RSS (MiB) by evaluations done:");
    console.log(rss.map(([n, mb]) => `${n}:${mb.toFixed(0)}`).join(" "));
    console.table([
      { figure: "healthy latency p50", value: `${percentile(sorted, 50).toFixed(2)} ms` },
      { figure: "healthy latency p90", value: `${percentile(sorted, 90).toFixed(2)} ms` },
      { figure: "healthy latency p99", value: `${percentile(sorted, 99).toFixed(2)} ms` },
      { figure: "healthy latency max", value: `${(sorted.at(-1) ?? 0).toFixed(2)} ms` },
      { figure: "RSS slope, last half", value: `${slopePct.toFixed(3)} %/1k evals (goal < 1)` },
      { figure: "threads before / after close", value: `${threadsBefore} / ${threadsAfter}` },
      { figure: "child processes before / after", value: `${childrenBefore} / ${children} (goal: equal)` },
      {
        figure: "verdict",
        value: slopePct < 1 && children <= childrenBefore && threadsAfter <= threadsBefore ? "PASS" : "FAIL",
      },
    ]);
  },
};

export default suite;
