import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { ValidatorError, ValidatorErrorCode } from "../errors.js";

/** Largest input the CLI reads (bytes). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

function readFailed(what: string, cause: unknown): ValidatorError {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new ValidatorError(ValidatorErrorCode.INPUT_READ_FAILED, `cannot read input ${what}${detail}`, {
    cause,
  });
}

function tooLarge(what: string, limit: number): ValidatorError {
  return new ValidatorError(
    ValidatorErrorCode.INPUT_TOO_LARGE,
    `input ${what} is larger than ${limit} bytes`,
  );
}

/**
 * Reads all of a stream, refusing more than `limit` bytes.
 * @param stream - e.g. `process.stdin`.
 * @param limit - byte limit.
 * @returns the bytes.
 */
export async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  limit = MAX_INPUT_BYTES,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    total += buffer.byteLength;
    if (total > limit) throw tooLarge("from stdin", limit);
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Reads the `--input` of a command: a file, `-` for stdin, or nothing (empty input).
 * @param input - the flag's value.
 * @param stdin - the standard input stream.
 * @returns the bytes.
 */
export async function readInput(
  input: string | undefined,
  stdin: AsyncIterable<Uint8Array | string>,
): Promise<Uint8Array> {
  if (input === undefined) return new Uint8Array(0);
  if (input === "-") return readStream(stdin);
  let size: number;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new Error("not a regular file");
    size = info.size;
  } catch (error) {
    throw readFailed(JSON.stringify(input), error);
  }
  if (size > MAX_INPUT_BYTES) throw tooLarge(JSON.stringify(input), MAX_INPUT_BYTES);
  try {
    return new Uint8Array(await readFile(input));
  } catch (error) {
    throw readFailed(JSON.stringify(input), error);
  }
}

/**
 * Lists the input files of `--inputs DIR`: regular files directly in the directory (hidden files
 * skipped), sorted by name.
 * @param dir - the directory.
 * @returns absolute paths.
 */
export async function listInputFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw readFailed(`directory ${JSON.stringify(dir)}`, error);
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".")) continue;
    const file = path.resolve(dir, name);
    if ((await stat(file).catch(() => undefined))?.isFile() === true) files.push(file);
  }
  return files;
}
