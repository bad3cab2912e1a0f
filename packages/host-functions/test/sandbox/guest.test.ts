import { readFile } from "node:fs/promises";
import path from "node:path";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { type ChallengeInstance, type WasmModule, WasmRuntime } from "@platform-wasm/runtime";
import { decodeSandboxExecEnvelope, encodeMessage, type SandboxExecRequest } from "@platform-wasm/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxHostFunctions, type SandboxHostFunctionsOptions } from "../../src/index.js";
import { makeDirs, policyFor, type TestDirs, text } from "./support/harness.js";

// Guest memory layout of the sbx-abi fixture (48 pages = 3 MiB).
const REQ = 65_536;
const RESP = 1_048_576;
const RESP_ROOM = 2 * 1_048_576;

const exporter = new InMemoryLogRecordExporter();
const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
let runtime: WasmRuntime;
let module: WasmModule;
let dirs: TestDirs;

beforeAll(async () => {
  logs.setGlobalLoggerProvider(provider);
  runtime = new WasmRuntime({ workerPoolSize: 1 });
  module = await runtime.compileModule(loadFixture("sbx-abi"));
  dirs = await makeDirs();
});
afterAll(async () => {
  await runtime.close();
  await provider.shutdown();
  logs.disable();
  await dirs.cleanup();
});

async function withGuest<T>(
  options: SandboxHostFunctionsOptions,
  body: (guest: ChallengeInstance, registrar: SandboxHostFunctions) => Promise<T>,
): Promise<T> {
  const registrar = new SandboxHostFunctions(options);
  const guest = await runtime.instantiate(
    module,
    { challengeId: "challenge-e2e", validatorId: "validator-e2e", timeoutMs: 30_000 },
    [registrar],
  );
  try {
    return await body(guest, registrar);
  } finally {
    await guest.dispose();
  }
}

async function guestExec(
  guest: ChallengeInstance,
  request: Partial<SandboxExecRequest> & { command: string },
  room = 4096,
) {
  const bytes = encodeMessage({
    args: [],
    env: {},
    stdin: undefined,
    working_directory: undefined,
    ...request,
  });
  await guest.writeMemory(REQ, bytes);
  return (await guest.callExport("exec", REQ, bytes.byteLength, RESP, room)) as number;
}

async function envelopeAt(guest: ChallengeInstance, length: number) {
  return decodeSandboxExecEnvelope(await guest.readMemory(RESP, length));
}

describe("platform_sandbox from a real guest", { timeout: 60_000 }, () => {
  it("runs an allowed command and counts it in the instance state", async () => {
    await withGuest({ policy: policyFor(dirs.jail, ["printf"]) }, async (guest, registrar) => {
      const code = await guestExec(guest, { command: "printf", args: ["from-guest"] });
      expect(code).toBeGreaterThan(0);
      const envelope = await envelopeAt(guest, code);
      expect("Ok" in envelope && text(envelope.Ok.stdout)).toBe("from-guest");
      expect(guest.stateOf(registrar).executionsMade).toBe(1);
    });
  });

  it("answers a refused command with an Err envelope", async () => {
    await withGuest({ policy: policyFor(dirs.jail, []) }, async (guest, registrar) => {
      const code = await guestExec(guest, { command: "rm", args: ["-rf", "/"] });
      expect(await envelopeAt(guest, code)).toEqual({ Err: { CommandNotAllowed: expect.any(String) } });
      expect(guest.stateOf(registrar).executionsMade).toBe(0);
    });
  });

  it("keeps a response bigger than the guest buffer for take_result, without running again", async () => {
    const runs = path.join(dirs.jail, "runs.log");
    await withGuest({ policy: policyFor(dirs.jail, ["sh"]) }, async (guest, registrar) => {
      const code = await guestExec(
        guest,
        { command: "sh", args: ["-c", "echo run >> /work/runs.log; head -c 200000 /dev/zero"] },
        1024,
      );
      expect(code).toBeLessThan(-1);
      const needed = -code;
      expect(needed).toBeGreaterThan(200_000);
      // Still too small: the same code again, the envelope is still kept.
      expect(await guest.callExport("take", RESP, 1024)).toBe(code);
      expect(await guest.callExport("take", RESP, RESP_ROOM)).toBe(needed);
      const envelope = await envelopeAt(guest, needed);
      expect("Ok" in envelope && envelope.Ok.stdout.byteLength).toBe(200_000);
      expect(await readFile(runs, "utf8")).toBe("run\n");
      expect(guest.stateOf(registrar).executionsMade).toBe(1);
    });
  });

  it("answers get_timestamp in deterministic and real-time modes", async () => {
    await withGuest(
      {
        policy: policyFor(dirs.jail, []),
        timestamp: { kind: "deterministic", timestampMs: 1_700_000_000_000 },
      },
      async (guest) => {
        expect(await guest.callExport("now")).toBe(1_700_000_000_000n);
        expect(await guest.callExport("now")).toBe(1_700_000_000_000n);
      },
    );
    await withGuest({ policy: policyFor(dirs.jail, []) }, async (guest) => {
      const before = BigInt(Date.now());
      const now = (await guest.callExport("now")) as bigint;
      expect(now >= before && now <= BigInt(Date.now())).toBe(true);
    });
  });

  it("forwards log_message to OpenTelemetry logs with labels and a budget", async () => {
    exporter.reset();
    await withGuest({ policy: policyFor(dirs.jail, []), logLimits: { maxRecords: 5 } }, async (guest) => {
      const message = new TextEncoder().encode("guest says hi");
      await guest.writeMemory(REQ, message);
      await guest.callExport("log", 3, REQ, message.byteLength);
      await guest.callExport("log_loop", 2, REQ, message.byteLength, 1000);
      const deadline = Date.now() + 5000;
      while (exporter.getFinishedLogRecords().length < 6 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const records = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(6);
    expect(records[0]).toMatchObject({ body: "guest says hi", severityNumber: SeverityNumber.WARN });
    expect(records[0]?.attributes).toMatchObject({
      challenge_id: "challenge-e2e",
      validator_id: "validator-e2e",
      source: "wasm",
    });
    expect(String(records[5]?.body)).toContain("budget exhausted");
  });
});
