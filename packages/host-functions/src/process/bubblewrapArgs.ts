import path from "node:path";
import type { IsolationLimits } from "./isolationOptions.js";
import type { LaunchSpec } from "./types.js";

/** A top-level system path (`/bin`, `/lib64` …) as it exists on the host: a symlink or a directory. */
export type RootEntry =
  | { readonly path: string; readonly kind: "symlink"; readonly target: string }
  | { readonly path: string; readonly kind: "directory" };

/** Everything about the host and configuration that shapes the bubblewrap command line. */
export interface BubblewrapConfig {
  readonly bwrapPath: string;
  readonly prlimitPath: string;
  /**
   * `true` when the host runs as root: bubblewrap itself is started as `uid`/`gid` (RLIMIT_NPROC is not
   * enforced for uid 0, and a user namespace created by root maps the sandbox back to uid 0).
   */
  readonly dropRoot: boolean;
  readonly uid: number;
  readonly gid: number;
  readonly jailMountPoint: string;
  readonly limits: IsolationLimits;
  /** `/bin`, `/sbin`, `/lib*` as found on the host (merged-/usr systems: symlinks into `/usr`). */
  readonly rootEntries: readonly RootEntry[];
  /** Files and directories under `/etc` that exist on the host and are bound read-only. */
  readonly etcPaths: readonly string[];
  /** Extra `/etc` paths bound only when the network is allowed (resolver and TLS configuration). */
  readonly networkEtcPaths: readonly string[];
}

/** One command to run inside the sandbox. */
export interface SandboxedCommand {
  /** Absolute canonical host path of the executable. */
  readonly executable: string;
  readonly args: readonly string[];
  /** The child's environment without `PATH` (the sandbox sets `PATH` itself). */
  readonly env: Readonly<Record<string, string>>;
  /** `PATH` inside the sandbox (host-chosen, never the guest's). */
  readonly path: string;
  /** Absolute real path of the jail root on the host. */
  readonly jailRoot: string;
  /** Absolute real path of the working directory on the host, inside `jailRoot`. */
  readonly cwd: string;
  readonly allowNetwork: boolean;
  /** Wall-clock limit; RLIMIT_CPU is set to it (rounded up) plus one second as a second line of defence. */
  readonly timeoutMs: number;
}

/** Host paths that are bound read-only into every sandbox. Nothing else from the host is visible. */
export const SYSTEM_READ_ONLY_DIRS: readonly string[] = ["/usr"];

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function insideJail(command: SandboxedCommand, config: BubblewrapConfig, hostPath: string): string {
  const relative = path.relative(command.jailRoot, hostPath);
  return relative === "" ? config.jailMountPoint : path.posix.join(config.jailMountPoint, relative);
}

/**
 * Builds the launch of one sandboxed command: `bwrap <confinement> -- prlimit <limits> -- cmd`, started
 * as the sandbox uid when the host is root.
 * Pure: the host layout comes in through `config`.
 *
 * @returns the launch, or a reason when the command cannot be confined (e.g. a cwd outside the jail).
 */
export function buildBubblewrapLaunch(
  command: SandboxedCommand,
  config: BubblewrapConfig,
): { readonly ok: true; readonly launch: LaunchSpec } | { readonly ok: false; readonly reason: string } {
  if (!isInside(command.jailRoot, command.cwd)) {
    return { ok: false, reason: `working directory ${command.cwd} is outside the jail ${command.jailRoot}` };
  }
  const limits = config.limits;
  const args: string[] = [
    "--unshare-all",
    ...(command.allowNetwork ? ["--share-net"] : []),
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--uid",
    String(config.uid),
    "--gid",
    String(config.gid),
    "--hostname",
    "sandbox",
  ];
  for (const dir of SYSTEM_READ_ONLY_DIRS) {
    args.push("--ro-bind", dir, dir);
  }
  for (const entry of config.rootEntries) {
    if (entry.kind === "symlink") {
      args.push("--symlink", entry.target, entry.path);
    } else {
      args.push("--ro-bind", entry.path, entry.path);
    }
  }
  for (const etc of command.allowNetwork
    ? [...config.etcPaths, ...config.networkEtcPaths]
    : config.etcPaths) {
    args.push("--ro-bind-try", etc, etc);
  }
  args.push("--dev", "/dev", "--proc", "/proc", "--size", String(limits.tmpfsBytes), "--tmpfs", "/tmp");
  args.push("--bind", command.jailRoot, config.jailMountPoint);

  // The executable as the sandbox sees it: system files keep their path, jail files appear under the
  // mount point, anything else is bound read-only at its own path (that one file only).
  let executable = command.executable;
  if (isInside(command.jailRoot, executable)) {
    executable = insideJail(command, config, executable);
  } else if (!SYSTEM_READ_ONLY_DIRS.some((dir) => isInside(dir, executable))) {
    if (isInside(config.jailMountPoint, executable)) {
      // Binding it there would create mount points inside the (host) jail directory.
      return {
        ok: false,
        reason: `executable ${executable} lies under the sandbox's jail mount point ${config.jailMountPoint}`,
      };
    }
    args.push("--ro-bind", executable, executable);
  }
  // Everything is in place: the root itself becomes read-only (only the jail and /tmp stay writable).
  args.push("--remount-ro", "/");
  args.push("--chdir", insideJail(command, config, command.cwd));
  args.push("--clearenv", "--setenv", "PATH", command.path);
  for (const [name, value] of Object.entries(command.env)) {
    if (name !== "PATH") {
      args.push("--setenv", name, value);
    }
  }
  args.push("--json-status-fd", "3", "--");
  const cpuSeconds = Math.ceil(command.timeoutMs / 1000) + 1;
  args.push(
    config.prlimitPath,
    `--nproc=${limits.maxProcesses}`,
    `--as=${limits.maxAddressSpaceBytes}`,
    `--fsize=${limits.maxFileSizeBytes}`,
    `--nofile=${limits.maxOpenFiles}`,
    `--cpu=${cpuSeconds}`,
    "--core=0",
    "--",
    executable,
    ...command.args,
  );

  const launch: LaunchSpec = {
    file: config.bwrapPath,
    args,
    env: {},
    cwd: "/",
    statusFd: true,
    runAs: config.dropRoot ? { uid: config.uid, gid: config.gid } : undefined,
  };
  return { ok: true, launch };
}
