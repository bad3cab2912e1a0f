import { basename, isAbsolute, join, normalize } from "node:path";
import {
  type FileIdentity,
  identityOf,
  isExecutableFile,
  realpathOrUndefined,
  sameFile,
  statOrUndefined,
} from "./fileIdentity.js";

/** Longest command text we look at; longer requests are malformed, not interesting. */
export const MAX_COMMAND_LENGTH = 4096;

/** A command the policy's search path (or an absolute request) leads to. */
export interface ResolvedCommand {
  /** The text the guest sent. */
  readonly requested: string;
  /** Basename of the requested text (what a bare allow/block entry is compared with). */
  readonly requestedName: string;
  /** The absolute path before symlinks are resolved (search-path hit, or the normalized absolute request). */
  readonly candidate: string;
  /** Absolute canonical path of the executable (every symlink resolved). */
  readonly canonical: string;
  /** Basename of the canonical path. */
  readonly canonicalName: string;
  /** Device and inode of the executable. */
  readonly identity: FileIdentity;
}

/** Why a command could not be resolved. */
export type ResolveFailure =
  | { readonly kind: "malformed"; readonly reason: string }
  | { readonly kind: "relative"; readonly reason: string }
  | { readonly kind: "notFound"; readonly reason: string };

/** Shape check of a command name or path, shared by requests and policy entries; `undefined` when fine. */
export function commandTextProblem(text: string): string | undefined {
  if (text.length === 0) return "is empty";
  if (text.length > MAX_COMMAND_LENGTH) return `is longer than ${MAX_COMMAND_LENGTH} characters`;
  if (text.includes("\0")) return "contains a NUL byte";
  if (!isAbsolute(text) && text.includes("/"))
    return "is a relative path (use a bare name or an absolute path)";
  return undefined;
}

/** A search-path hit: the path in its directory and the identity of the file it leads to. */
export interface SearchHit {
  readonly path: string;
  readonly identity: FileIdentity;
}

/**
 * Finds `name` on `searchPath` the way `execvp` would (first directory holding an executable regular
 * file of that name). Returns the path in that directory (not yet canonical) and the file's identity,
 * taken from the same `stat`, so callers need no second syscall.
 */
export function findOnSearchPath(name: string, searchPath: readonly string[]): SearchHit | undefined {
  for (const dir of searchPath) {
    const path = join(dir, name);
    const stats = statOrUndefined(path);
    if (isExecutableFile(stats)) return { path, identity: { dev: stats.dev, ino: stats.ino } };
  }
  return undefined;
}

/**
 * Resolves a requested command: a bare name through the policy's search path (never the guest's `PATH`),
 * an absolute path as given; then every symlink is resolved and the target must be an executable regular
 * file. Relative paths containing a slash are refused, so the guest cannot pick a binary by cwd games.
 */
export function resolveCommandPath(
  command: string,
  searchPath: readonly string[],
): { ok: true; value: ResolvedCommand } | { ok: false; failure: ResolveFailure } {
  const problem = commandTextProblem(command);
  if (problem !== undefined) {
    const kind = problem.startsWith("is a relative path") ? "relative" : "malformed";
    return { ok: false, failure: { kind, reason: `command ${problem}` } };
  }
  if (command === "." || command === "..") {
    return { ok: false, failure: { kind: "malformed", reason: "command is not a file name" } };
  }
  let candidate: string;
  let identity: FileIdentity;
  if (isAbsolute(command)) {
    candidate = normalize(command);
    // stat of the text as given (symlinks followed): the kernel's view of `..` after a symlink.
    const stats = statOrUndefined(command);
    if (!isExecutableFile(stats)) {
      return { ok: false, failure: { kind: "notFound", reason: "command is not an executable file" } };
    }
    identity = { dev: stats.dev, ino: stats.ino };
  } else {
    const hit = findOnSearchPath(command, searchPath);
    if (hit === undefined) {
      return {
        ok: false,
        failure: { kind: "notFound", reason: "command not found on the policy's search path" },
      };
    }
    candidate = hit.path;
    identity = hit.identity;
  }
  const canonical = realpathOrUndefined(isAbsolute(command) ? command : candidate);
  if (canonical === undefined) {
    return { ok: false, failure: { kind: "notFound", reason: "command is not an executable file" } };
  }
  return {
    ok: true,
    value: {
      requested: command,
      requestedName: basename(command),
      candidate,
      canonical,
      canonicalName: basename(canonical),
      identity,
    },
  };
}

/** An allow/block list entry, pre-split at validation time. */
export type CommandEntry =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "path"; readonly path: string; readonly name: string };

/** Parses a list entry already checked by {@link commandTextProblem}. */
export function toCommandEntry(text: string): CommandEntry {
  if (isAbsolute(text)) return { kind: "path", path: normalize(text), name: basename(text) };
  return { kind: "name", name: text };
}

/**
 * Identity of the file an entry designates right now: a bare name through the search path, a path as
 * given (symlinks followed). Looked up per decision, so a policy follows binaries being replaced.
 */
function entryIdentity(entry: CommandEntry, searchPath: readonly string[]): FileIdentity | undefined {
  if (entry.kind === "path") return identityOf(entry.path);
  return findOnSearchPath(entry.name, searchPath)?.identity;
}

/**
 * Block rule: an entry blocks the command when it names the requested basename, the target's basename,
 * the requested or canonical path, or the same file (device + inode, so symlinks and hard links to a
 * blocked binary are caught). Deliberately broad: the block list wins.
 */
export function isBlockedBy(
  entry: CommandEntry,
  cmd: ResolvedCommand,
  searchPath: readonly string[],
): boolean {
  if (entry.kind === "name") {
    if (entry.name === cmd.requestedName || entry.name === cmd.canonicalName) return true;
  } else if (entry.path === cmd.candidate || entry.path === cmd.canonical) {
    return true;
  }
  return sameFile(entryIdentity(entry, searchPath), cmd.identity);
}

/**
 * Block check before any filesystem access: the requested text alone. Lets a blocked name be refused
 * even when it does not exist on this host.
 */
export function isBlockedByName(entry: CommandEntry, command: string): boolean {
  if (entry.kind === "name") return entry.name === basename(command);
  return isAbsolute(command) && entry.path === normalize(command);
}

/**
 * Allow rule: one entry must allow both the name the guest asked for and the file it leads to.
 * - bare `ls`: the request's basename is `ls` AND the target is the file the policy's search path finds
 *   for `ls` (so a copy or symlink named `ls` elsewhere does not count, and `sh` → busybox is not `ls`).
 * - `/usr/bin/ls`: the request is that path, or has that basename and leads to that same file.
 */
export function isAllowedBy(
  entry: CommandEntry,
  cmd: ResolvedCommand,
  searchPath: readonly string[],
): boolean {
  if (entry.kind === "name") {
    return entry.name === cmd.requestedName && sameFile(entryIdentity(entry, searchPath), cmd.identity);
  }
  const nameMatches = entry.path === cmd.candidate || entry.name === cmd.requestedName;
  return nameMatches && sameFile(entryIdentity(entry, searchPath), cmd.identity);
}
