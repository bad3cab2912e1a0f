/** What to start: the program the engine spawns (the command itself, or the isolation launcher). */
export interface LaunchSpec {
  /** Absolute path of the program to spawn. */
  readonly file: string;
  /** Its arguments, passed verbatim (never through a shell). */
  readonly args: readonly string[];
  /** Its complete environment (nothing from the host is added). */
  readonly env: Readonly<Record<string, string>>;
  /** Its working directory on the host. */
  readonly cwd: string;
  /**
   * `true` when the program is bubblewrap started with `--json-status-fd 3`: the engine reads the
   * sandbox's `child-pid` from fd 3 and waits for it before killing, so a kill right after spawn cannot
   * leave the sandbox running.
   */
  readonly statusFd: boolean;
  /**
   * Start the program as this uid/gid (Node's spawn drops supplementary groups, then sets gid and uid
   * before exec). Used when the host runs as root. Omitted: the host's own ids.
   */
  readonly runAs?: { readonly uid: number; readonly gid: number } | undefined;
}

/** Limits of one run. */
export interface RunLimits {
  /** Wall-clock limit; the whole process group (or sandbox) is killed when it expires. */
  readonly timeoutMs: number;
  /** Cap per output stream; reaching it kills the process (see the README: "kill at cap"). */
  readonly maxOutputBytes: number;
  /** Cap on stdin bytes; a larger stdin is refused before anything starts. */
  readonly maxStdinBytes: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Bytes written to the child's stdin (then closed); `undefined` gives it /dev/null. */
  readonly stdin?: Uint8Array | undefined;
  /** Aborting kills the process group and ends the run with `aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** Called with the pid (= process group id) right after the spawn, e.g. to label telemetry. */
  readonly onSpawn?: ((pid: number) => void) | undefined;
}

/** Byte counts and truncation of both output streams. */
export interface OutputSummary {
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  /** Bytes seen on stdout (kept or not). */
  readonly stdoutBytes: number;
  /** Bytes seen on stderr (kept or not). */
  readonly stderrBytes: number;
}

/** The process ran to an end of its own, or was killed at an output cap. */
export interface CompletedRun extends OutputSummary {
  readonly kind: "completed";
  /** Exit status; `-1` when the process was ended by a signal. */
  readonly exitCode: number;
  /** Name of the terminating signal (`"SIGKILL"` …), when there was one. */
  readonly signal: string | undefined;
  readonly durationMs: number;
  /** `true` when the engine killed the process because a stream reached its cap. */
  readonly killedAtOutputCap: boolean;
}

/** The wall-clock limit expired; everything was killed. */
export interface TimedOutRun extends OutputSummary {
  readonly kind: "timeout";
  readonly durationMs: number;
}

/** The run's `AbortSignal` fired; everything was killed. */
export interface AbortedRun {
  readonly kind: "aborted";
  readonly durationMs: number;
}

/** The program could not be started (ENOENT, EACCES, invalid argument …). */
export interface SpawnFailedRun {
  readonly kind: "spawn-failed";
  readonly message: string;
}

/** Writing stdin failed for a reason other than the child not reading it (EPIPE); the child was killed. */
export interface StdinFailedRun {
  readonly kind: "stdin-failed";
  readonly message: string;
  readonly durationMs: number;
}

/** A request the engine refuses before starting anything (e.g. stdin over its cap). */
export interface RefusedRun {
  readonly kind: "refused";
  readonly message: string;
}

/** Every way a run can end. */
export type RunOutcome =
  | CompletedRun
  | TimedOutRun
  | AbortedRun
  | SpawnFailedRun
  | StdinFailedRun
  | RefusedRun;
