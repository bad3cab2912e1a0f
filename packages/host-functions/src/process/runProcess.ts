import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { execa } from "execa";
import { OutputCollector } from "./outputCollector.js";
import { killPid, killProcessGroup, trackProcessGroup } from "./processGroup.js";
import type { LaunchSpec, RunLimits, RunOptions, RunOutcome } from "./types.js";

/**
 * After the main process exits, how long the pipes may stay open (data still in flight). Anything left in
 * the child's process group is killed at exit; a writer that escaped the group (only possible without
 * isolation) cannot hold the result hostage for longer than this.
 */
const EXIT_GRACE_MS = 250;
/** After a kill, how long to wait for the pipes to close before destroying them. */
const KILL_GRACE_MS = 1000;
/** How long a kill waits for bubblewrap's `child-pid` report before killing bubblewrap regardless. */
const CHILD_PID_WAIT_MS = 2000;
/** The status fd carries two small JSON objects; anything beyond this is ignored. */
const MAX_STATUS_BYTES = 8192;
const CHILD_PID_PATTERN = /"child-pid"\s*:\s*(\d+)/;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function settle(streams: readonly (Readable | null | undefined)[], ms: number): Promise<void> {
  const open = streams.filter((s): s is Readable => s != null && !s.destroyed);
  await Promise.race([Promise.allSettled(open.map((s) => finished(s))), delay(ms)]);
  for (const stream of open) {
    stream.destroy();
  }
}

/** Starts the program with execa; every limit is enforced by {@link runProcess}, not by execa. */
function spawnLaunch(launch: LaunchSpec, withStdin: boolean) {
  try {
    const subprocess = execa(launch.file, [...launch.args], {
      cwd: launch.cwd,
      env: { ...launch.env },
      extendEnv: false,
      // Own process group (setsid): one kill(-pgid) reaches every descendant that stays in it.
      detached: true,
      cleanup: false,
      buffer: false,
      reject: false,
      stdio: [withStdin ? "pipe" : "ignore", "pipe", "pipe", launch.statusFd ? "pipe" : "ignore"],
      encoding: "buffer",
      stripFinalNewline: false,
      forceKillAfterDelay: false,
      killSignal: "SIGKILL",
      ...(launch.runAs === undefined ? {} : { uid: launch.runAs.uid, gid: launch.runAs.gid }),
    });
    return { ok: true as const, subprocess };
  } catch (error) {
    return { ok: false as const, message: describe(error) };
  }
}

/**
 * Runs one program with execa and enforces every limit itself, because execa's `timeout` signals only the
 * direct child and its `maxBuffer` truncates without stopping the writer:
 *
 * - the child leads a new process group (`detached`); timeout, abort and output cap kill the whole group
 *   with SIGKILL (a sandbox: its PID-namespace init first, after bubblewrap reported it);
 * - stdout and stderr are read concurrently as they stream, keeping at most `maxOutputBytes` each; the
 *   first byte past a cap kills the process (its result is reported with the truncation flags);
 * - stdin is written, then closed; EPIPE (the child exited without reading it) is not an error, any other
 *   write failure kills the child and is reported;
 * - when the main process exits, whatever it left running in its group is killed.
 *
 * Never throws: every ending is a {@link RunOutcome}.
 */
export async function runProcess(
  launch: LaunchSpec,
  limits: RunLimits,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const { stdin, signal } = options;
  if (stdin !== undefined && stdin.byteLength > limits.maxStdinBytes) {
    return {
      kind: "refused",
      message: `stdin is ${stdin.byteLength} bytes, over the limit of ${limits.maxStdinBytes}`,
    };
  }
  if (signal?.aborted) {
    return { kind: "aborted", durationMs: 0 };
  }

  const started = performance.now();
  const spawned = spawnLaunch(launch, stdin !== undefined);
  if (!spawned.ok) {
    return { kind: "spawn-failed", message: spawned.message };
  }
  const subprocess = spawned.subprocess;
  const pid = subprocess.pid;
  if (pid === undefined) {
    const result = await subprocess;
    return { kind: "spawn-failed", message: result.shortMessage ?? "the process could not be started" };
  }
  // execa's own promise is not awaited (its streams are ours); keep it from ever surfacing as unhandled.
  subprocess.catch(() => undefined);
  const untrack = trackProcessGroup(pid);
  options.onSpawn?.(pid);

  const stdout = new OutputCollector(limits.maxOutputBytes);
  const stderr = new OutputCollector(limits.maxOutputBytes);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let capHit = false;
  let timedOut = false;
  let aborted = false;
  let stdinError: unknown;

  // A plain listener, not events.once: an 'error' event must not turn into a rejection here.
  const exitPromise = new Promise<void>((resolve) => {
    subprocess.once("exit", (code: number | null, sig: NodeJS.Signals | null) => {
      exited = { code, signal: sig };
      resolve();
    });
  });

  let childPid: number | undefined;
  let reportChildPid: () => void = () => undefined;
  const childPidReported = new Promise<void>((resolve) => {
    reportChildPid = resolve;
  });
  const statusStream = launch.statusFd ? (subprocess.stdio[3] as Readable | undefined) : undefined;
  if (statusStream) {
    let statusText = "";
    statusStream.on("data", (chunk: Buffer) => {
      if (childPid !== undefined || statusText.length > MAX_STATUS_BYTES) {
        return;
      }
      statusText += chunk.toString("utf8");
      const match = CHILD_PID_PATTERN.exec(statusText);
      if (match?.[1] !== undefined) {
        childPid = Number.parseInt(match[1], 10);
        reportChildPid();
      }
    });
    statusStream.on("error", () => undefined);
  }

  let killing: Promise<void> | undefined;
  const killAll = (): Promise<void> => {
    killing ??= (async () => {
      if (launch.statusFd && exited === undefined) {
        // Killing bubblewrap before its sandbox child exists can leave the sandbox running: wait for the
        // child-pid report, then kill the PID namespace's init (which takes the whole namespace down).
        await Promise.race([childPidReported, exitPromise, delay(CHILD_PID_WAIT_MS)]);
        if (childPid !== undefined && exited === undefined) {
          killPid(childPid);
        }
      }
      killProcessGroup(pid);
    })();
    return killing;
  };

  const onOutput = (collector: OutputCollector) => (chunk: Buffer) => {
    if (collector.push(chunk) && !capHit) {
      capHit = true;
      void killAll();
    }
  };
  subprocess.stdout?.on("data", onOutput(stdout));
  subprocess.stderr?.on("data", onOutput(stderr));
  subprocess.stdout?.on("error", () => undefined);
  subprocess.stderr?.on("error", () => undefined);

  if (stdin !== undefined && subprocess.stdin) {
    subprocess.stdin.on("error", (error) => {
      if (errorCode(error) === "EPIPE" || stdinError !== undefined) {
        return;
      }
      stdinError = error;
      void killAll();
    });
    subprocess.stdin.end(Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength));
  }

  const timer = setTimeout(() => {
    if (exited === undefined) {
      timedOut = true;
      void killAll();
    }
  }, limits.timeoutMs);
  const onAbort = () => {
    if (exited === undefined) {
      aborted = true;
      void killAll();
    }
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    await exitPromise;
    const durationMs = Math.round(performance.now() - started);
    clearTimeout(timer);
    // Anything the command left behind in its group dies with it.
    killProcessGroup(pid);
    const killed = capHit || timedOut || aborted || stdinError !== undefined;
    await settle(
      [subprocess.stdout, subprocess.stderr, statusStream],
      killed ? KILL_GRACE_MS : EXIT_GRACE_MS,
    );
    subprocess.stdin?.destroy();

    const output = {
      stdout: stdout.bytes(),
      stderr: stderr.bytes(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      stdoutBytes: stdout.bytesSeen,
      stderrBytes: stderr.bytesSeen,
    };
    if (aborted) {
      return { kind: "aborted", durationMs };
    }
    if (stdinError !== undefined) {
      return { kind: "stdin-failed", message: `writing stdin failed: ${describe(stdinError)}`, durationMs };
    }
    if (timedOut) {
      return { kind: "timeout", durationMs, ...output };
    }
    const status = exited ?? { code: null, signal: null };
    // At the output cap we SIGKILL the tree ourselves. Whether the launcher (bubblewrap) is hit by that
    // signal or first exits with its child's status is a race, so report our own kill, not the race.
    const endedBy = status.signal ?? (capHit ? "SIGKILL" : undefined);
    return {
      kind: "completed",
      exitCode: endedBy === undefined ? (status.code ?? -1) : -1,
      signal: endedBy,
      durationMs,
      killedAtOutputCap: capHit,
      ...output,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    untrack();
  }
}
