// End-to-end: builds each example challenge from its AssemblyScript source (the example's own `build`
// script: asc with the SDK's asconfig, companion policy copied beside the module), then runs it through the
// validator CLI exactly as an operator would (`node dist/cli.js evaluate <wasm> --input <file> --json`),
// asserting scores, guest logs and refusals. The reference-fetch example talks only to a loopback server.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const cli = path.join(repo, "apps", "validator", "dist", "cli.js");
const examples = path.join(repo, "examples");
const wasm = (name: string): string => path.join(examples, name, "build", `${name}.wasm`);
const input = (name: string, file: string): string => path.join(examples, name, "inputs", file);

interface Run {
  code: number;
  json: {
    ok: boolean;
    output?: { score: number; valid: boolean; message: string };
    metrics?: { sandbox_executions: number; network_requests: number };
    error?: { code: string; message: string };
    abi?: { compatible: boolean; problems: unknown[] };
    imports?: { module: string; name: string; kind: string }[];
  };
  /** Human-readable telemetry (guest log records, spans) written to stderr. */
  stderr: string;
}

function run(
  cwd: string,
  file: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

async function validator(...args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await run(repo, process.execPath, [cli, ...args, "--json"]);
  return { code, json: JSON.parse(stdout) as Run["json"], stderr };
}

/** Guest log records (source=wasm) from the CLI's stderr. */
function guestLogs(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("[log]") && line.includes("source=wasm"));
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

let scratch: string;
async function policyFile(name: string, policy: unknown): Promise<string> {
  const file = path.join(scratch, `${name}.policy.json`);
  await writeFile(file, JSON.stringify(policy));
  return file;
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm build\` first`);
  scratch = await mkdtemp(path.join(tmpdir(), "examples-e2e-"));
  // Build every example from source, as `pnpm build` does (asc + companion policy).
  for (const name of ["answer-check", "script-tests", "reference-fetch"]) {
    const built = await run(path.join(examples, name), "pnpm", ["run", "build"], 120_000);
    if (built.code !== 0) throw new Error(`building ${name} failed:\n${built.stdout}\n${built.stderr}`);
  }
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("example modules", () => {
  // The SDK compiles in only the host functions a module uses (plus log_message, where aborts go).
  const expectedImports: Record<string, string[]> = {
    "answer-check": ["platform_sandbox.get_timestamp", "platform_sandbox.log_message"],
    "script-tests": [
      "platform_sandbox.log_message",
      "platform_sandbox.sandbox_exec",
      "platform_sandbox.take_result",
    ],
    "reference-fetch": [
      "platform_network.http_get",
      "platform_network.take_result",
      "platform_sandbox.log_message",
    ],
  };

  it.each(Object.keys(expectedImports))(
    "%s imports exactly the ABI functions it uses and passes the ABI check",
    async (name) => {
      const { code, json } = await validator("inspect", wasm(name));
      expect(code).toBe(0);
      expect(json.abi).toEqual(expect.objectContaining({ compatible: true, problems: [] }));
      expect((json.imports ?? []).map((i) => `${i.module}.${i.name}`).sort()).toEqual(expectedImports[name]);
    },
  );
});

describe("answer-check (pure scoring, deterministic timestamp)", () => {
  it("scores a correct answer 100, stamped with the policy's deterministic time, and logs it", async () => {
    const { code, json, stderr } = await validator(
      "evaluate",
      wasm("answer-check"),
      "--input",
      input("answer-check", "correct.json"),
    );
    expect(code).toBe(0);
    expect(json.output).toEqual({
      score: 100,
      valid: true,
      message: "correct answer (evaluated at 1700000000000)",
    });
    expect(json.metrics).toMatchObject({ sandbox_executions: 0, network_requests: 0 });
    const logs = guestLogs(stderr);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('INFO "answer-check: correct answer at 1700000000000"');
    expect(logs[0]).toContain("challenge_id=");
  });

  it("scores a wrong answer 0 with a warning log, and accepts a bare-text answer", async () => {
    const wrong = await validator(
      "evaluate",
      wasm("answer-check"),
      "--input",
      input("answer-check", "wrong.json"),
    );
    expect(wrong.json.output).toEqual({
      score: 0,
      valid: true,
      message: "wrong answer: expected 42, got 41",
    });
    expect(guestLogs(wrong.stderr)[0]).toContain('WARN "answer-check: wrong answer `41` at 1700000000000"');
    const plain = await validator(
      "evaluate",
      wasm("answer-check"),
      "--input",
      input("answer-check", "plain.txt"),
    );
    expect(plain.json.output).toMatchObject({ score: 100, valid: true });
  });

  it("reads real time when the policy says so, and rejects an empty submission in validate", async () => {
    const realTime = await policyFile("real-time", { timestamp: { mode: "real_time" } });
    const before = Date.now();
    const { json } = await validator(
      "evaluate",
      wasm("answer-check"),
      "--input",
      input("answer-check", "correct.json"),
      "--policy",
      realTime,
    );
    const at = Number(/evaluated at (\d+)/.exec(json.output?.message ?? "")?.[1]);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    const empty = path.join(scratch, "empty.txt");
    await writeFile(empty, "");
    const rejected = await validator("validate", wasm("answer-check"), "--input", empty);
    expect(rejected.json.output).toMatchObject({ valid: false, message: "input rejected" });
    const accepted = await validator(
      "validate",
      wasm("answer-check"),
      "--input",
      input("answer-check", "correct.json"),
    );
    expect(accepted.json.output).toMatchObject({ valid: true, message: "input accepted" });
  });
});

describe("script-tests (sandbox_exec under a tight policy)", () => {
  it("runs every case of a correct script through the sandbox", async () => {
    const { code, json } = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "correct.sh"),
    );
    expect(code).toBe(0);
    expect(json.output).toMatchObject({ score: 100, valid: true });
    expect(json.output?.message).toMatch(/^5\/5 test cases passed/);
    expect(json.metrics?.sandbox_executions).toBe(5);
  });

  it("counts partial passes and logs each failing case", async () => {
    const { json, stderr } = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "partial.sh"),
    );
    expect(json.output).toMatchObject({ score: 40, valid: true });
    expect(json.output?.message).toMatch(/^2\/5 test cases passed/);
    const logs = guestLogs(stderr).join("\n");
    expect(logs).toContain("case 1 expected 7, got `12`");
    expect(logs).toContain("case 3 expected 0, got `-25`");
  });

  it("receives outputs larger than the SDK's 4 KiB buffer intact (take_result through the real sandbox)", async () => {
    const { json } = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "noisy.sh"),
    );
    // 128 progress lines of 68 bytes plus the answer, per case: every response exceeds 4 KiB.
    const perCase = 128 * 68;
    expect(json.output).toMatchObject({ score: 100, valid: true });
    const bytes = Number(/\((\d+) stdout bytes\)/.exec(json.output?.message ?? "")?.[1]);
    expect(bytes).toBeGreaterThan(5 * perCase);
    expect(bytes).toBeGreaterThan(5 * 4096);
  });

  it("stops at the first timeout instead of hanging every case", async () => {
    const { json, stderr } = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "hang.sh"),
    );
    expect(json.output).toMatchObject({ score: 0, valid: true });
    expect(json.metrics?.sandbox_executions).toBe(1);
    expect(guestLogs(stderr).join("\n")).toContain("case 0 timed out");
  });

  it("is refused when its policy lacks the interpreter", async () => {
    const base = readJson(path.join(examples, "script-tests", "script-tests.policy.json")) as {
      sandbox: Record<string, unknown>;
    };
    const noShell = await policyFile("no-shell", {
      ...base,
      sandbox: { ...base.sandbox, allowed_commands: ["python3"] },
    });
    const refused = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "correct.sh"),
      "--policy",
      noShell,
    );
    expect(refused.json.output?.valid).toBe(false);
    expect(refused.json.output?.score).toBe(0);
    expect(refused.json.output?.message).toMatch(/^sandbox refused the test run: CommandNotAllowed: /);
    // The secure defaults (no policy sections) allow no command at all.
    const defaults = await policyFile("defaults", {});
    const denied = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "correct.sh"),
      "--policy",
      defaults,
    );
    expect(denied.json.output?.message).toMatch(/CommandNotAllowed/);
    // A budget of 2 executions runs out on the third case.
    const budget = await policyFile("budget", { ...base, sandbox: { ...base.sandbox, max_executions: 2 } });
    const limited = await validator(
      "evaluate",
      wasm("script-tests"),
      "--input",
      input("script-tests", "correct.sh"),
      "--policy",
      budget,
    );
    expect(limited.json.output?.message).toMatch(/^sandbox refused the test run: LimitExceeded: /);
  });
});

describe("reference-fetch (http_get to an allowed loopback host)", () => {
  let server: Server;
  let hits = 0;
  const body = JSON.stringify({ value: 250, notes: "-".repeat(8192) });

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits += 1;
      if (request.url !== "/reference.json") response.writeHead(404).end();
      else response.writeHead(200, { "content-type": "application/json" }).end(body);
    });
    // The example's built-in reference URL is http://127.0.0.1:8787/reference.json.
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(8787, "127.0.0.1", () => resolve());
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("scores against the fetched reference (a body larger than the SDK's initial buffer)", async () => {
    const exact = await validator(
      "evaluate",
      wasm("reference-fetch"),
      "--input",
      input("reference-fetch", "exact.json"),
    );
    expect(exact.code).toBe(0);
    expect(exact.json.output).toEqual({
      score: 100,
      valid: true,
      message: `reference 250.0 (${body.length} bytes), estimate 250.0: score 100`,
    });
    expect(exact.json.metrics?.network_requests).toBe(1);
    const close = await validator(
      "evaluate",
      wasm("reference-fetch"),
      "--input",
      input("reference-fetch", "close.json"),
    );
    expect(close.json.output).toMatchObject({ score: 96, valid: true });
    expect(guestLogs(close.stderr).join("\n")).toContain("estimate 240.0: score 96");
  });

  it("rejects a submission without a number before touching the network", async () => {
    const before = hits;
    const { json } = await validator(
      "evaluate",
      wasm("reference-fetch"),
      "--input",
      input("reference-fetch", "garbage.txt"),
    );
    expect(json.output).toEqual({ score: 0, valid: false, message: "the submission carries no number" });
    expect(json.metrics?.network_requests).toBe(0);
    expect(hits).toBe(before);
  });

  it("is refused by policies that do not allow the host, loopback, or networking at all", async () => {
    const base = readJson(path.join(examples, "reference-fetch", "reference-fetch.policy.json")) as {
      network: Record<string, unknown> & { http: Record<string, unknown> };
    };
    const before = hits;
    const cases: [string, unknown, RegExp][] = [
      ["secure-defaults", {}, /^reference unavailable: NetworkDisabled$/],
      [
        "other-host",
        // (allowed_ip_ranges also admits IP-literal URLs inside it, so it moves elsewhere too)
        {
          network: {
            ...base.network,
            http: { ...base.network.http, allowed_hosts: ["example.com"] },
            allowed_ip_ranges: ["192.0.2.0/24"],
          },
        },
        /^reference unavailable: PolicyViolation: /,
      ],
      [
        "private-blocked",
        { network: { ...base.network, dns_policy: { block_private_ranges: true } } },
        /^reference unavailable: PolicyViolation: /,
      ],
    ];
    for (const [name, policy, expected] of cases) {
      const file = await policyFile(name, policy);
      const { json } = await validator(
        "evaluate",
        wasm("reference-fetch"),
        "--input",
        input("reference-fetch", "exact.json"),
        "--policy",
        file,
      );
      expect(json.output?.valid, name).toBe(false);
      expect(json.output?.message, name).toMatch(expected);
    }
    expect(hits).toBe(before);
  });
});
