/**
 * What a guest may execute through `platform_sandbox.sandbox_exec`. Field names are the reference's, in
 * camelCase; policy files use the same names in snake_case.
 *
 * Secure by default: an empty `allowedCommands` allows **nothing** (the reference allowed everything),
 * an empty `environmentWhitelist` passes **no** variable, and `PATH` is never taken from the guest.
 */
export interface SandboxPolicy {
  /** Master switch; `false` refuses every request with `SandboxDisabled`. */
  enabled: boolean;
  /** Commands that may run, as absolute paths or bare names (matched against basenames). Empty = none. */
  allowedCommands: string[];
  /** Commands that never run; wins over `allowedCommands`. Same matching rules. */
  blockedCommands: string[];
  /** Wall-clock limit per execution; the host kills the whole process group when it expires. */
  maxExecutionTimeMs: number;
  /** Cap on captured bytes, per stream (stdout and stderr each). */
  maxOutputBytes: number;
  /** Cap on the stdin bytes a request may carry. */
  maxStdinBytes: number;
  /** Executions allowed per instance run (the host keeps the counter). */
  maxExecutions: number;
  /** Maximum number of arguments in one request. */
  maxArgs: number;
  /** Maximum total UTF-8 bytes of all arguments in one request. */
  maxArgBytes: number;
  /** Whether the child may use the network. `false` is enforced by the isolation backend. */
  allowNetwork: boolean;
  /** The jail root: a request's `working_directory` must resolve (symlinks followed) inside it. Absolute. */
  workingDirectory: string;
  /** Environment variable names a request may pass to the child. Empty = pass nothing. */
  environmentWhitelist: string[];
  /**
   * When `true` (default), a missing OS isolation backend makes every execution fail closed with
   * `IsolationUnavailable`. `false` is an explicit, warned-about opt-out.
   */
  requireIsolation: boolean;
  /**
   * The policy's own PATH, used to resolve bare command names (the guest's `PATH` is never consulted) and
   * given to the child as `PATH` when `PATH` is whitelisted. Absolute directories.
   */
  searchPath: string[];
}

/** The search path every preset uses. */
export const DEFAULT_SEARCH_PATH: readonly string[] = Object.freeze(["/usr/local/bin", "/usr/bin", "/bin"]);

/**
 * The secure default: enabled, but with an empty allow-list, so **every command is refused** until the
 * operator names the ones a challenge needs. Limits are the reference's (30 s, 1 MiB per stream,
 * `/tmp` jail, no network, empty env whitelist) plus ours (stdin, executions, args).
 */
export function defaultSandboxPolicy(): SandboxPolicy {
  return {
    enabled: true,
    allowedCommands: [],
    blockedCommands: [],
    maxExecutionTimeMs: 30_000,
    maxOutputBytes: 1024 * 1024,
    maxStdinBytes: 1024 * 1024,
    maxExecutions: 32,
    maxArgs: 256,
    maxArgBytes: 128 * 1024,
    allowNetwork: false,
    workingDirectory: "/tmp",
    environmentWhitelist: [],
    requireIsolation: true,
    searchPath: [...DEFAULT_SEARCH_PATH],
  };
}

/** Harmless text utilities the development preset opens (no interpreters, launchers or file writers). */
const DEVELOPMENT_COMMANDS = [
  "cat",
  "echo",
  "printf",
  "ls",
  "head",
  "tail",
  "wc",
  "grep",
  "sort",
  "uniq",
  "cut",
  "tr",
  "true",
  "false",
  "sha256sum",
] as const;

/**
 * For local challenge development: opens the read-only text utilities listed in the source
 * (`cat`, `echo`, `ls`, `grep`, …), passes `LANG` and `TERM`, allows 128 executions, and does **not**
 * require OS isolation (so it runs where bubblewrap is missing; the network stays closed when it is there).
 * Not for validators.
 */
export function developmentSandboxPolicy(): SandboxPolicy {
  return {
    ...defaultSandboxPolicy(),
    allowedCommands: [...DEVELOPMENT_COMMANDS],
    maxExecutionTimeMs: 60_000,
    maxExecutions: 128,
    environmentWhitelist: ["LANG", "TERM"],
    requireIsolation: false,
  };
}

/**
 * The reference's `permissive()` limits (60 s, 10 MiB per stream, env whitelist `PATH, HOME, USER, LANG,
 * TERM`) with an explicit allow-list: the development utilities plus `sh`, `bash` and `python3`, which are
 * escape hatches (validation warns about them) — this preset effectively lets a guest run anything the
 * host user can. `PATH` is whitelisted but its value is the policy's `searchPath`, never the guest's.
 * Isolation is still required; the network stays closed.
 */
export function permissiveSandboxPolicy(): SandboxPolicy {
  return {
    ...defaultSandboxPolicy(),
    allowedCommands: [...DEVELOPMENT_COMMANDS, "sh", "bash", "python3"],
    maxExecutionTimeMs: 60_000,
    maxOutputBytes: 10 * 1024 * 1024,
    maxStdinBytes: 10 * 1024 * 1024,
    maxExecutions: 1024,
    environmentWhitelist: ["PATH", "HOME", "USER", "LANG", "TERM"],
  };
}
