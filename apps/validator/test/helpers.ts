// Shared helpers of the validator's end-to-end tests: run the BUILT CLI as a subprocess and talk to the
// service over loopback HTTP only.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fixturePath } from "@platform-wasm/guest-fixtures";

/** The built CLI (`pnpm --filter @platform-wasm/validator... build`). */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");

/** Throws a clear message when the CLI or fixtures have not been built. */
export function requireBuilt(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`pnpm --filter @platform-wasm/validator... build\``);
  if (!existsSync(fixturePath("val-success"))) throw new Error("guest fixtures are not built");
}

/** Environment of CLI subprocesses: quiet telemetry, fixed validator id, no colours. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VALIDATOR_ID: "e2e-validator", OTEL_SDK_DISABLED: "true" };
  for (const key of Object.keys(env))
    if (key.startsWith("OTEL_") && key !== "OTEL_SDK_DISABLED") delete env[key];
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** Result of {@link runCli}. */
export interface CliRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node dist/cli.js …args` to completion.
 * @param args - CLI arguments.
 * @param options - stdin bytes, extra environment, working directory.
 */
export function runCli(
  args: readonly string[],
  options: {
    stdin?: string | Uint8Array;
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cliEnv(options.env),
      cwd: options.cwd ?? process.cwd(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`validator ${args.join(" ")} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/** Parses the single JSON object a `--json` run prints (fails if stdout holds anything else). */
export function parseJsonOutput(run: CliRun): Record<string, unknown> {
  const text = run.stdout.trim();
  if (text.includes("\n")) throw new Error(`expected exactly one JSON line, got:\n${run.stdout}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`stdout is not JSON: ${run.stdout}\nstderr: ${run.stderr}`, { cause: error });
  }
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `validator-${prefix}-`));
}

/**
 * Copies compiled fixtures into `dir` (as `<name>.wasm`).
 * @returns `dir`.
 */
export async function copyFixtures(dir: string, names: readonly string[]): Promise<string> {
  for (const name of names) await copyFile(fixturePath(name), path.join(dir, `${name}.wasm`));
  return dir;
}

/** A running `validator serve` subprocess. */
export interface ServedValidator {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `validator serve --port 0 --module-dir dir` and waits for its listening line.
 * @param moduleDir - the module directory.
 * @param env - extra environment.
 */
export function startServer(moduleDir: string, env: Record<string, string> = {}): Promise<ServedValidator> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--module-dir", moduleDir], {
      env: cliEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 20_000);
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1], output: () => ({ stdout, stderr }), exited });
      }
    });
    child.on("error", reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** POSTs a `/v1/evaluate` request and returns status and parsed JSON body. */
export async function postEvaluate(
  baseUrl: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/evaluate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body: json, ms: performance.now() - started };
}

/** Base64 of a string. */
export function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}
