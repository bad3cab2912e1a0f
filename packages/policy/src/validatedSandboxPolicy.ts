import type { SandboxExecRequest } from "@platform-wasm/wire";
import type { SandboxDecision } from "./decision.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";

/** Everything the host needs to run an approved request; every field has been checked against the policy. */
export interface ApprovedExec {
  /** Absolute canonical path of the executable (symlinks resolved). */
  executable: string;
  /** Arguments, passed verbatim (never through a shell). */
  args: string[];
  /** The child's complete environment: whitelisted guest variables plus `PATH` from the policy if whitelisted. */
  env: Record<string, string>;
  /** Absolute real path of the working directory, inside the jail root. */
  cwd: string;
  /** Bytes for the child's stdin, or `undefined` for /dev/null. */
  stdin: Uint8Array | undefined;
}

/**
 * A {@link SandboxPolicy} that passed validation. Every check is total: it returns a decision and never
 * throws, whatever the input. Checks that touch the filesystem (`resolveCommand`,
 * `resolveWorkingDirectory`, `checkExecRequest`) only `stat`/`realpath`; they never execute anything.
 */
export interface ValidatedSandboxPolicy {
  /** A frozen copy of the policy as validated. */
  readonly policy: Readonly<SandboxPolicy>;
  /** Human-readable warnings about escape hatches and opt-outs (empty when none). */
  readonly warnings: readonly string[];
  /**
   * Resolves a requested command to an absolute canonical path through the policy's own `searchPath`, then
   * applies the block list (wins) and the allow list to the requested name and to the resolved target.
   */
  resolveCommand(command: string): SandboxDecision<string>;
  /**
   * Resolves a request's working directory (default: the jail root) to a real path and refuses anything
   * outside the jail root (`..`, other absolute paths, symlink escapes) with `PolicyViolation`.
   */
  resolveWorkingDirectory(requested: string | undefined): SandboxDecision<string>;
  /** Keeps only whitelisted variables; `PATH` from the guest is always dropped. */
  filterEnvironment(env: Record<string, string>): Record<string, string>;
  /**
   * Checks a whole request: `enabled`, command, argument count and bytes, stdin size, working directory and
   * environment. Does not count executions (the host's per-instance state does that against `maxExecutions`).
   */
  checkExecRequest(req: SandboxExecRequest): SandboxDecision<ApprovedExec>;
  /**
   * Per-instance execution budget: `LimitExceeded` when `maxExecutions` is 0 or `executionsMade` has reached
   * it. Returns the executions left after this one.
   */
  checkExecutionBudget(executionsMade: number): SandboxDecision<number>;
}
