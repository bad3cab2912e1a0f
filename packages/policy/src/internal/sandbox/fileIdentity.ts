import { realpathSync, type Stats, statSync } from "node:fs";

/** Identity of a file on disk: the same (device, inode) means the same file, whatever path or link names it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** `stat` that follows symlinks and answers `undefined` for anything unusable (missing, loop, no access). */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** `realpath` that answers `undefined` instead of throwing. */
export function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** True for a regular file with at least one execute bit. */
export function isExecutableFile(stats: Stats | undefined): stats is Stats {
  return stats?.isFile() === true && (stats.mode & 0o111) !== 0;
}

/** Identity of the file `path` leads to (symlinks followed), or `undefined`. */
export function identityOf(path: string): FileIdentity | undefined {
  const stats = statOrUndefined(path);
  return stats === undefined ? undefined : { dev: stats.dev, ino: stats.ino };
}

/** True when both identities exist and are equal. */
export function sameFile(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
