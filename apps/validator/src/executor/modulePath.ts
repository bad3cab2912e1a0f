import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ValidatorError, ValidatorErrorCode } from "../errors.js";

/** Longest module name the service accepts (bytes of UTF-8). */
export const MAX_MODULE_NAME_BYTES = 255;

function invalid(name: string, why: string): ValidatorError {
  return new ValidatorError(
    ValidatorErrorCode.MODULE_NAME_INVALID,
    `module name ${JSON.stringify(name)} ${why}`,
  );
}

/**
 * Checks a module name received from a client, without touching the file system: a relative path of
 * plain segments ending in `.wasm`. Absolute paths, `..`/`.` segments, empty segments, backslashes,
 * NUL and control characters are refused, so the name alone can never point outside the directory.
 *
 * @param name - the name as received.
 * @returns the name's segments.
 * @throws ValidatorError `MODULE_NAME_INVALID` naming the problem.
 */
export function checkModuleName(name: string): string[] {
  if (name.length === 0) throw invalid(name, "is empty");
  if (Buffer.byteLength(name, "utf8") > MAX_MODULE_NAME_BYTES) {
    throw invalid(name.slice(0, 32), `is longer than ${MAX_MODULE_NAME_BYTES} bytes`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw invalid(name, "contains a control character or backslash");
  if (path.isAbsolute(name) || path.posix.isAbsolute(name)) throw invalid(name, "is an absolute path");
  const segments = name.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw invalid(name, "must be a relative path without '.', '..' or empty segments");
    }
  }
  if (!name.endsWith(".wasm")) throw invalid(name, "must name a .wasm file");
  return segments;
}

/**
 * Resolves a client-supplied module name inside `moduleDir`, following symlinks, and refuses anything
 * whose real location is outside the directory's real location (a symlink pointing out is refused too).
 *
 * @param moduleDir - the module directory.
 * @param name - the client's module name.
 * @returns the real absolute path of the module file.
 * @throws ValidatorError `MODULE_NAME_INVALID` for a bad or escaping name, `MODULE_NOT_FOUND` when no
 *   such regular file exists.
 */
export async function resolveConfinedModule(moduleDir: string, name: string): Promise<string> {
  const segments = checkModuleName(name);
  const realDir = await realpath(moduleDir);
  const candidate = path.join(realDir, ...segments);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    throw notFound(name, error);
  }
  const relative = path.relative(realDir, real);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw invalid(name, "resolves outside the module directory");
  }
  await requireRegularFile(real, name);
  return real;
}

/**
 * Resolves a module path given by an operator (CLI): relative to the working directory, no confinement.
 *
 * @param modulePath - the path as given.
 * @returns the absolute path, after checking it names a regular file.
 * @throws ValidatorError `MODULE_NOT_FOUND`.
 */
export async function resolveOperatorModule(modulePath: string): Promise<string> {
  const absolute = path.resolve(modulePath);
  await requireRegularFile(absolute, modulePath);
  return absolute;
}

async function requireRegularFile(file: string, shownAs: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    throw notFound(shownAs, error);
  }
  if (!isFile) {
    throw new ValidatorError(
      ValidatorErrorCode.MODULE_NOT_FOUND,
      `module ${JSON.stringify(shownAs)} is not a file`,
    );
  }
}

function notFound(name: string, cause: unknown): ValidatorError {
  return new ValidatorError(ValidatorErrorCode.MODULE_NOT_FOUND, `module ${JSON.stringify(name)} not found`, {
    cause,
  });
}
