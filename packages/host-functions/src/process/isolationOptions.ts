import { HostFunctionsError, HostFunctionsErrorCode } from "../errors.js";

/**
 * Resource limits applied inside the sandbox with `prlimit` (soft = hard, so the child cannot raise them;
 * it holds no capabilities).
 */
export interface IsolationLimits {
  /** RLIMIT_NPROC: processes the sandbox user may have. Default 64. */
  readonly maxProcesses: number;
  /** RLIMIT_AS: address space per process, bytes. Default 1 GiB. */
  readonly maxAddressSpaceBytes: number;
  /** RLIMIT_FSIZE: largest file a process may write, bytes. Default 64 MiB. */
  readonly maxFileSizeBytes: number;
  /** RLIMIT_NOFILE: open file descriptors per process. Default 256. */
  readonly maxOpenFiles: number;
  /** Size of the private `/tmp` tmpfs, bytes. Default 64 MiB. */
  readonly tmpfsBytes: number;
}

/**
 * How `sandbox_exec` isolates the processes it runs.
 *
 * - `"bubblewrap"` (default): every command runs in a bubblewrap sandbox (see the package README for the
 *   exact confinement). When bubblewrap is missing or cannot create namespaces here, a policy with
 *   `requireIsolation: true` (the default) fails every execution with `IsolationUnavailable`; a policy
 *   that opted out runs the command unisolated.
 * - `"none"`: never isolate. Only accepted with a policy that has `requireIsolation: false`.
 */
export interface IsolationOptions {
  readonly backend?: "bubblewrap" | "none";
  /** Path of `bwrap`. Default: the first of `/usr/bin/bwrap`, `/usr/local/bin/bwrap`, `/bin/bwrap` that exists. */
  readonly bwrapPath?: string;
  /** Path of util-linux `prlimit` (bound read-only into the sandbox with `/usr`). Default `/usr/bin/prlimit`. */
  readonly prlimitPath?: string;
  /**
   * Uid and gid the sandboxed command runs as. When the host runs as root, bubblewrap itself is started
   * as this uid/gid (RLIMIT_NPROC is not enforced for uid 0). Default 65534 (`nobody`).
   */
  readonly sandboxUid?: number;
  readonly sandboxGid?: number;
  /** Where the jail (the policy's `workingDirectory`) appears inside the sandbox. Default `/work`. */
  readonly jailMountPoint?: string;
  /** Resource limits; unset fields take the defaults of {@link IsolationLimits}. */
  readonly limits?: Partial<IsolationLimits>;
}

/** Defaults of {@link IsolationLimits}. */
export const DEFAULT_ISOLATION_LIMITS: IsolationLimits = Object.freeze({
  maxProcesses: 64,
  maxAddressSpaceBytes: 1024 * 1024 * 1024,
  maxFileSizeBytes: 64 * 1024 * 1024,
  maxOpenFiles: 256,
  tmpfsBytes: 64 * 1024 * 1024,
});

/**
 * Checks {@link IsolationOptions} without touching the filesystem: limits are positive safe integers, ids
 * are uids, paths are absolute.
 * @throws HostFunctionsError `INVALID_OPTIONS` naming the bad field.
 */
export function checkIsolationOptions(options: IsolationOptions): void {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new HostFunctionsError(
      HostFunctionsErrorCode.INVALID_OPTIONS,
      `isolation.${field} ${rule}, got ${JSON.stringify(value)}`,
    );
  };
  if (options.backend !== undefined && options.backend !== "bubblewrap" && options.backend !== "none") {
    fail("backend", options.backend, 'must be "bubblewrap" or "none"');
  }
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    if (!(name in DEFAULT_ISOLATION_LIMITS)) fail(`limits.${name}`, value, "is not a known limit");
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      fail(`limits.${name}`, value, "must be a positive integer");
    }
  }
  for (const field of ["sandboxUid", "sandboxGid"] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value >= 2 ** 32)) {
      fail(field, value, "must be a uid/gid");
    }
  }
  for (const field of ["bwrapPath", "prlimitPath", "jailMountPoint"] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== "string" || !value.startsWith("/"))) {
      fail(field, value, "must be an absolute path");
    }
  }
}
