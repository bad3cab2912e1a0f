import { isAbsolute, join, relative, sep } from "node:path";
import { realpathOrUndefined, statOrUndefined } from "./fileIdentity.js";

/** Longest working-directory text we look at. */
export const MAX_PATH_LENGTH = 4096;

/** Outcome of {@link resolveInsideJail}. */
export type JailResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly kind: "invalid" | "violation" | "unavailable"; readonly reason: string };

/** True when `child` (a real path) is `root` or below it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Resolves a request's working directory inside the jail root. The jail root itself is canonicalized
 * first (it may be a symlink, e.g. `/tmp` on macOS). The request — relative to the root, or absolute —
 * may not contain `..` segments; its real path (every symlink followed) must be the root or below it and
 * must be a directory. The returned path is the real path, so the child starts exactly where we checked.
 */
export function resolveInsideJail(jailRoot: string, requested: unknown): JailResult {
  const root = realpathOrUndefined(jailRoot);
  if (root === undefined || statOrUndefined(root)?.isDirectory() !== true) {
    return {
      ok: false,
      kind: "unavailable",
      reason: "the sandbox working directory (jail root) is unavailable",
    };
  }
  if (requested === undefined || requested === null) return { ok: true, path: root };
  if (typeof requested !== "string")
    return { ok: false, kind: "invalid", reason: "working_directory is not a string" };
  if (requested.length === 0) return { ok: false, kind: "invalid", reason: "working_directory is empty" };
  if (requested.length > MAX_PATH_LENGTH)
    return { ok: false, kind: "invalid", reason: "working_directory is too long" };
  if (requested.includes("\0"))
    return { ok: false, kind: "invalid", reason: "working_directory contains a NUL byte" };
  if (requested.split("/").includes("..")) {
    return { ok: false, kind: "violation", reason: "working_directory may not contain '..'" };
  }
  const candidate = isAbsolute(requested) ? requested : join(root, requested);
  const real = realpathOrUndefined(candidate);
  if (real === undefined) {
    return { ok: false, kind: "violation", reason: "working_directory does not exist inside the sandbox" };
  }
  if (!isInside(root, real)) {
    return {
      ok: false,
      kind: "violation",
      reason: "working_directory resolves outside the sandbox working directory",
    };
  }
  if (statOrUndefined(real)?.isDirectory() !== true) {
    return { ok: false, kind: "violation", reason: "working_directory is not a directory" };
  }
  return { ok: true, path: real };
}
