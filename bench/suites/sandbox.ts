// platform_sandbox costs, each against its baseline in the same run:
//  1. a guest's sandbox_exec of /bin/true (unisolated policy) vs a bare `execa("/bin/true")`;
//  2. the same through the bubblewrap sandbox vs a bare `bwrap <minimal flag set> /bin/true` via execa;
//  3. peak RSS of this process while a guest runs `yes` (1 MiB cap) back to back for 5 s.
// Ours and the baseline run in alternating rounds so load from other processes hits both alike; the ratio
// reported is the median of per-round ratios.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { SandboxHostFunctions } from "@platform-wasm/host-functions";
import { defaultSandboxPolicy } from "@platform-wasm/policy";
import { type ChallengeInstance, WasmRuntime } from "@platform-wasm/runtime";
import { decodeSandboxExecEnvelope, encodeMessage } from "@platform-wasm/wire";
import { execa } from "execa";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 9;
const PER_ROUND = 25;
const REQ = 65_536;
const RESP = 1_048_576;
const RESP_ROOM = 2 * 1_048_576;
const RSS_SECONDS = 5;

/** A full GC without needing `--expose-gc` on the command line. */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function placeRequest(guest: ChallengeInstance, command: string, args: string[] = []): Promise<number> {
  const bytes = encodeMessage({ command, args, env: {}, stdin: undefined, working_directory: undefined });
  await guest.writeMemory(REQ, bytes);
  return bytes.byteLength;
}

async function guestLoop(guest: ChallengeInstance, len: number, n: number): Promise<void> {
  const code = (await guest.callExport("exec_loop", REQ, len, RESP, RESP_ROOM, n)) as number;
  if (code < 0) throw new Error(`guest exec failed with code ${code}`);
  const envelope = decodeSandboxExecEnvelope(await guest.readMemory(RESP, code));
  if (!("Ok" in envelope) || envelope.Ok.exit_code !== 0) {
    throw new Error(
      `guest exec did not succeed: ${JSON.stringify("Err" in envelope ? envelope.Err : envelope.Ok.exit_code)}`,
    );
  }
}

/** The minimal bubblewrap sandbox measured in the issue (no uid drop, no prlimit), as the bare baseline. */
function bareBwrapArgs(jail: string): string[] {
  return [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/bin",
    "/bin",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--symlink",
    "usr/sbin",
    "/sbin",
    "--ro-bind",
    "/etc/ld.so.cache",
    "/etc/ld.so.cache",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    "--bind",
    jail,
    "/work",
    "--chdir",
    "/work",
    "--clearenv",
    "--setenv",
    "PATH",
    "/usr/bin:/bin",
    "/bin/true",
  ];
}

async function compare(
  name: string,
  ours: () => Promise<void>,
  bare: () => Promise<void>,
  goal: number,
): Promise<Record<string, string | number>> {
  await ours();
  await bare();
  const oursMs: number[] = [];
  const bareMs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const b = (await timeMs(bare)) / PER_ROUND;
    const o = (await timeMs(ours)) / PER_ROUND;
    bareMs.push(b);
    oursMs.push(o);
    ratios.push(o / b);
  }
  const ratio = median(ratios);
  return {
    case: name,
    "ours ms/exec": Number(median(oursMs).toFixed(3)),
    "baseline ms/exec": Number(median(bareMs).toFixed(3)),
    ratio: Number(ratio.toFixed(3)),
    goal: `<= ${goal}x`,
    met: ratio <= goal ? "yes" : "NO",
  };
}

const suite: BenchSuite = {
  name: "sandbox",
  async run() {
    const root = await mkdtemp(path.join(os.tmpdir(), "bench-sandbox-"));
    await chmod(root, 0o777);
    const runtime = new WasmRuntime({ workerPoolSize: 1 });
    try {
      const module = await runtime.compileModule(loadFixture("sbx-abi"));
      const policy = {
        ...defaultSandboxPolicy(),
        allowedCommands: ["true", "yes"],
        workingDirectory: root,
        maxExecutions: 1_000_000,
        maxOutputBytes: 1024 * 1024,
      };
      const bareRegistrar = new SandboxHostFunctions({
        policy: { ...policy, requireIsolation: false },
        isolation: { backend: "none" },
      });
      const isolatedRegistrar = new SandboxHostFunctions({ policy });
      const bareGuest = await runtime.instantiate(module, { timeoutMs: 600_000 }, [bareRegistrar]);
      const isolatedGuest = await runtime.instantiate(module, { timeoutMs: 600_000 }, [isolatedRegistrar]);
      const bareLen = await placeRequest(bareGuest, "/bin/true");
      const isoLen = await placeRequest(isolatedGuest, "/bin/true");

      const rows = [
        await compare(
          "guest sandbox_exec /bin/true (no isolation) vs bare execa /bin/true",
          () => guestLoop(bareGuest, bareLen, PER_ROUND),
          async () => {
            for (let i = 0; i < PER_ROUND; i++) await execa("/bin/true");
          },
          1.3,
        ),
        await compare(
          "guest sandbox_exec /bin/true (bubblewrap) vs bare execa bwrap … /bin/true",
          () => guestLoop(isolatedGuest, isoLen, PER_ROUND),
          async () => {
            for (let i = 0; i < PER_ROUND; i++) {
              await execa("/usr/bin/bwrap", bareBwrapArgs(root), { env: {}, extendEnv: false });
            }
          },
          1.3,
        ),
      ];
      console.table(rows);
      await bareGuest.dispose();

      await isolatedGuest.dispose();

      // Peak RSS while an isolated guest runs `yes` (killed at the 1 MiB cap) back to back for 5 s, every
      // 1 MiB response travelling into guest memory and back out.
      // Warm-up (code paths, pool worker, first envelope), then a full GC, then the baseline.
      const warm = await runtime.instantiate(module, { timeoutMs: 600_000 }, [isolatedRegistrar]);
      const warmLen = await placeRequest(warm, "yes");
      await warm.callExport("exec", REQ, warmLen, RESP, RESP_ROOM);
      await warm.dispose();
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 200));
      collectGarbage();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      let runs = 0;
      let bytes = 0;
      const guest = await runtime.instantiate(module, { timeoutMs: 600_000 }, [isolatedRegistrar]);
      try {
        const yesLen = await placeRequest(guest, "yes");
        const until = performance.now() + RSS_SECONDS * 1000;
        while (performance.now() < until) {
          const code = (await guest.callExport("exec", REQ, yesLen, RESP, RESP_ROOM)) as number;
          const envelope = decodeSandboxExecEnvelope(await guest.readMemory(RESP, code));
          if (!("Ok" in envelope) || !envelope.Ok.stdout_truncated) throw new Error("yes was not truncated");
          bytes += envelope.Ok.stdout.byteLength;
          runs += 1;
        }
      } finally {
        await guest.dispose();
      }
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const overMiB = (peak - baseline) / (1024 * 1024);
      console.table([
        {
          case: `peak RSS over baseline, guest runs yes (1 MiB cap) for ${RSS_SECONDS} s`,
          "baseline MiB": Number((baseline / 1048576).toFixed(1)),
          "peak MiB": Number((peak / 1048576).toFixed(1)),
          "over MiB": Number(overMiB.toFixed(1)),
          executions: runs,
          "MiB captured": Number((bytes / 1048576).toFixed(1)),
          goal: "< 64 MiB",
          met: overMiB < 64 ? "yes" : "NO",
        },
      ]);
    } finally {
      await runtime.close();
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default suite;
