import { constants } from "node:fs";
import { access, chmod, lstat, mkdtemp, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type BubblewrapConfig, buildBubblewrapLaunch, type RootEntry } from "./bubblewrapArgs.js";
import { DEFAULT_ISOLATION_LIMITS, type IsolationOptions } from "./isolationOptions.js";
import { runProcess } from "./runProcess.js";

/** Result of looking for a usable bubblewrap. */
export type BubblewrapAvailability =
  | { readonly available: true; readonly config: BubblewrapConfig }
  | { readonly available: false; readonly reason: string };

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];
const ROOT_ENTRIES = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** Dynamic-linker configuration, Debian alternatives (`awk` → …) and the time zone; no secrets. */
const ETC_PATHS = [
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/localtime",
];
/** Resolver and TLS trust configuration, bound only when the policy allows the network. */
const NETWORK_ETC_PATHS = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
];
const NOBODY = 65534;

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function rootEntries(): Promise<RootEntry[]> {
  const entries: RootEntry[] = [];
  for (const entry of ROOT_ENTRIES) {
    try {
      const stat = await lstat(entry);
      if (stat.isSymbolicLink()) {
        entries.push({ path: entry, kind: "symlink", target: await readlink(entry) });
      } else if (stat.isDirectory()) {
        entries.push({ path: entry, kind: "directory" });
      }
    } catch {
      // Absent on this host (e.g. /libx32): nothing to bind.
    }
  }
  return entries;
}

async function existing(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const candidate of paths) {
    if (await exists(candidate)) {
      found.push(candidate);
    }
  }
  return found;
}

/** Validates an id option: a non-negative 32-bit integer. */
function checkId(value: number, name: string): string | undefined {
  return Number.isInteger(value) && value >= 0 && value < 2 ** 32 ? undefined : `${name} must be a uid/gid`;
}

/**
 * Builds the bubblewrap configuration for this host from `options` (paths, uid, limits, host layout).
 * Does not run anything; see {@link probeBubblewrap}.
 */
export async function resolveBubblewrapConfig(options: IsolationOptions): Promise<BubblewrapAvailability> {
  let bwrapPath = options.bwrapPath;
  if (bwrapPath === undefined) {
    for (const candidate of BWRAP_CANDIDATES) {
      if (await isExecutable(candidate)) {
        bwrapPath = candidate;
        break;
      }
    }
  }
  if (bwrapPath === undefined || !(await isExecutable(bwrapPath))) {
    return { available: false, reason: `bubblewrap not found (${bwrapPath ?? BWRAP_CANDIDATES.join(", ")})` };
  }
  const prlimitPath = options.prlimitPath ?? "/usr/bin/prlimit";
  if (!(await isExecutable(prlimitPath))) {
    return { available: false, reason: `prlimit not found at ${prlimitPath} (util-linux)` };
  }
  const uid = options.sandboxUid ?? NOBODY;
  const gid = options.sandboxGid ?? NOBODY;
  const idProblem = checkId(uid, "sandboxUid") ?? checkId(gid, "sandboxGid");
  if (idProblem !== undefined) {
    return { available: false, reason: idProblem };
  }
  const dropRoot = process.getuid?.() === 0;
  if (dropRoot && uid === 0) {
    // Root: the sandbox must run as an unprivileged uid (see BubblewrapConfig.dropRoot).
    return {
      available: false,
      reason: "the host runs as root and sandboxUid is 0: refusing to sandbox as root",
    };
  }
  const jailMountPoint = options.jailMountPoint ?? "/work";
  if (!path.posix.isAbsolute(jailMountPoint) || path.posix.normalize(jailMountPoint) !== jailMountPoint) {
    return {
      available: false,
      reason: `jailMountPoint must be a normalized absolute path: ${jailMountPoint}`,
    };
  }
  if (
    ["/", "/usr", "/proc", "/dev", "/tmp", "/etc"].some(
      (p) => jailMountPoint === p || p.startsWith(`${jailMountPoint}/`) || jailMountPoint.startsWith(`${p}/`),
    )
  ) {
    return { available: false, reason: `jailMountPoint ${jailMountPoint} collides with a system mount` };
  }
  return {
    available: true,
    config: {
      bwrapPath,
      prlimitPath,
      dropRoot,
      uid,
      gid,
      jailMountPoint,
      limits: { ...DEFAULT_ISOLATION_LIMITS, ...options.limits },
      rootEntries: await rootEntries(),
      etcPaths: await existing(ETC_PATHS),
      networkEtcPaths: await existing(NETWORK_ETC_PATHS),
    },
  };
}

/**
 * Checks that bubblewrap can actually build the sandbox on this host (user namespaces allowed, no LSM
 * refusal) by running `/usr/bin/true` inside it once, exactly as commands will run.
 */
export async function probeBubblewrap(options: IsolationOptions): Promise<BubblewrapAvailability> {
  const resolved = await resolveBubblewrapConfig(options);
  if (!resolved.available) {
    return resolved;
  }
  const jail = await mkdtemp(path.join(os.tmpdir(), "platform-wasm-probe-"));
  try {
    // The sandbox uid must be able to enter its working directory.
    await chmod(jail, 0o755);
    const built = buildBubblewrapLaunch(
      {
        executable: "/usr/bin/true",
        args: [],
        env: {},
        path: "/usr/bin:/bin",
        jailRoot: jail,
        cwd: jail,
        allowNetwork: false,
        timeoutMs: 10_000,
      },
      resolved.config,
    );
    if (!built.ok) {
      return { available: false, reason: built.reason };
    }
    const outcome = await runProcess(built.launch, {
      timeoutMs: 10_000,
      maxOutputBytes: 4096,
      maxStdinBytes: 0,
    });
    if (outcome.kind === "completed" && outcome.exitCode === 0) {
      return resolved;
    }
    const detail =
      outcome.kind === "completed" || outcome.kind === "timeout"
        ? new TextDecoder().decode(outcome.stderr).trim() || outcome.kind
        : "message" in outcome
          ? outcome.message
          : outcome.kind;
    return { available: false, reason: `bubblewrap cannot create the sandbox here: ${detail.slice(0, 500)}` };
  } finally {
    await rm(jail, { recursive: true, force: true });
  }
}
