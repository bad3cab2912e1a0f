import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  killPids,
  processesInGroup,
  processesWithMarker,
  waitForNone,
} from "../../test/sandbox/support/procScan.js";
import { runProcess } from "./runProcess.js";
import type { LaunchSpec, RunLimits } from "./types.js";

const SH = "/bin/sh";
const limits: RunLimits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024, maxStdinBytes: 4 * 1024 * 1024 };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const started: number[] = [];

function shell(script: string, env: Record<string, string> = {}): LaunchSpec {
  return {
    file: SH,
    args: ["-c", script],
    env: { PATH: "/usr/bin:/bin", ...env },
    cwd: "/",
    statusFd: false,
  };
}

afterEach(() => {
  // A failing assertion must not leave processes behind: kill what this file started, by group.
  for (const pgid of started.splice(0)) {
    killPids(processesInGroup(pgid));
  }
});

describe("runProcess (bare engine)", () => {
  it("runs a command and reports exit code and output", async () => {
    const outcome = await runProcess(shell("printf hello; printf oops >&2; exit 3"), limits);
    expect(outcome.kind).toBe("completed");
    if (outcome.kind !== "completed") return;
    expect(text(outcome.stdout)).toBe("hello");
    expect(text(outcome.stderr)).toBe("oops");
    expect(outcome.exitCode).toBe(3);
    expect(outcome.signal).toBeUndefined();
    expect(outcome.stdoutTruncated).toBe(false);
  });

  it("reports a terminating signal", async () => {
    const outcome = await runProcess(shell("kill -USR1 $$"), limits);
    expect(outcome).toMatchObject({ kind: "completed", exitCode: -1, signal: "SIGUSR1" });
  });

  it("passes exactly the given environment", async () => {
    const outcome = await runProcess(
      { file: "/usr/bin/env", args: [], env: { ONLY: "this" }, cwd: "/", statusFd: false },
      limits,
    );
    expect(outcome.kind === "completed" && text(outcome.stdout)).toBe("ONLY=this\n");
  });

  it("drains stdout and stderr concurrently past the pipe buffer (no deadlock)", async () => {
    const outcome = await runProcess(
      shell("head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2; head -c 300000 /dev/zero"),
      { ...limits, timeoutMs: 5000 },
    );
    expect(outcome).toMatchObject({ kind: "completed", exitCode: 0, stdoutTruncated: false });
    if (outcome.kind !== "completed") return;
    expect(outcome.stdout.byteLength).toBe(600_000);
    expect(outcome.stderr.byteLength).toBe(300_000);
  });

  it("caps `yes` while streaming, kills it at the cap and keeps memory bounded", async () => {
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const outcome = await runProcess({ ...shell("exec yes"), file: SH }, { ...limits, maxOutputBytes: 5 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(outcome).toMatchObject({
      kind: "completed",
      stdoutTruncated: true,
      killedAtOutputCap: true,
      signal: "SIGKILL",
      exitCode: -1,
    });
    if (outcome.kind !== "completed") return;
    expect(text(outcome.stdout)).toBe("y\ny\ny");
    expect(outcome.stdoutBytes).toBeGreaterThan(5);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it("writes more than 1 MiB of stdin", async () => {
    const input = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => i % 251);
    const outcome = await runProcess(
      { file: "/usr/bin/cat", args: [], env: {}, cwd: "/", statusFd: false },
      { ...limits, maxOutputBytes: 4 * 1024 * 1024 },
      { stdin: input },
    );
    expect(outcome.kind).toBe("completed");
    if (outcome.kind !== "completed") return;
    expect(outcome.stdout.byteLength).toBe(input.byteLength);
    expect(Buffer.from(outcome.stdout).equals(Buffer.from(input))).toBe(true);
  });

  it("does not treat a child that exits without reading stdin as an error (EPIPE)", async () => {
    const outcome = await runProcess(
      { file: "/usr/bin/true", args: [], env: {}, cwd: "/", statusFd: false },
      limits,
      { stdin: new Uint8Array(2 * 1024 * 1024) },
    );
    expect(outcome).toMatchObject({ kind: "completed", exitCode: 0 });
  });

  it("refuses stdin over its cap before starting anything", async () => {
    const outcome = await runProcess(
      shell("true"),
      { ...limits, maxStdinBytes: 10 },
      { stdin: new Uint8Array(11) },
    );
    expect(outcome.kind).toBe("refused");
  });

  it("reports a program that cannot be started", async () => {
    const outcome = await runProcess(
      { file: "/nonexistent/program", args: [], env: {}, cwd: "/", statusFd: false },
      limits,
    );
    expect(outcome.kind).toBe("spawn-failed");
  });

  it("reports arguments and variables the OS cannot carry (NUL) as a spawn failure, never a throw", async () => {
    const args = await runProcess({ ...shell("true"), args: ["-c", "true\u0000x"] }, limits);
    expect(args.kind).toBe("spawn-failed");
    const env = await runProcess(shell("true", { BAD: "a\u0000b" }), limits);
    expect(env.kind).toBe("spawn-failed");
  });

  it("kills the whole process group on timeout: sh -c 'sleep 100 & sleep 100'", async () => {
    const marker = `SBX_MARK=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    let pgid = 0;
    const t0 = performance.now();
    const outcome = await runProcess(
      shell("sleep 100 & sleep 100", { [name]: value }),
      { ...limits, timeoutMs: 300 },
      {
        onSpawn: (pid) => {
          pgid = pid;
          started.push(pid);
        },
      },
    );
    expect(outcome.kind).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(await waitForNone(() => processesInGroup(pgid))).toEqual([]);
    expect(await waitForNone(() => processesWithMarker(marker))).toEqual([]);
  });

  it("kills a busy loop that ignores SIGTERM on timeout", async () => {
    const marker = `SBX_MARK=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    let pgid = 0;
    const outcome = await runProcess(
      shell("trap '' TERM; (trap '' TERM; while :; do :; done) & while :; do :; done", { [name]: value }),
      { ...limits, timeoutMs: 300 },
      {
        onSpawn: (pid) => {
          pgid = pid;
          started.push(pid);
        },
      },
    );
    expect(outcome.kind).toBe("timeout");
    expect(await waitForNone(() => processesInGroup(pgid))).toEqual([]);
    expect(await waitForNone(() => processesWithMarker(marker))).toEqual([]);
  });

  it("kills what the command left running in its group when it exits", async () => {
    const marker = `SBX_MARK=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    let pgid = 0;
    const t0 = performance.now();
    const outcome = await runProcess(shell("sleep 100 & echo started", { [name]: value }), limits, {
      onSpawn: (pid) => {
        pgid = pid;
        started.push(pid);
      },
    });
    expect(outcome).toMatchObject({ kind: "completed", exitCode: 0 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(await waitForNone(() => processesWithMarker(marker))).toEqual([]);
    expect(processesInGroup(pgid)).toEqual([]);
  });

  it("kills everything when aborted", async () => {
    const marker = `SBX_MARK=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const outcome = await runProcess(shell("sleep 100 & sleep 100", { [name]: value }), limits, {
      signal: controller.signal,
      onSpawn: (pid) => started.push(pid),
    });
    expect(outcome.kind).toBe("aborted");
    expect(await waitForNone(() => processesWithMarker(marker))).toEqual([]);
  });
});
