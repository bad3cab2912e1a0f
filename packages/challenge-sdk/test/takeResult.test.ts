// The `-(needed)` / `take_result` protocol end to end: a real runtime (worker thread, shared-memory bridge)
// runs the SDK-built guest against a test `platform_sandbox` registrar whose `sandbox_exec` answers with
// envelopes of chosen sizes. Proves large responses arrive intact, the buffer grows to exactly the needed
// size, and the operation runs once per call.
import { readFileSync } from "node:fs";
import { type HostFunctionRegistrar, WasmRuntime } from "@platform-wasm/runtime";
import {
  decodeSandboxExecRequest,
  encodeSandboxExecEnvelope,
  type SandboxError,
  type SandboxExecResponse,
  type WireResult,
} from "@platform-wasm/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestPath } from "./support/codecHarness.js";

interface CountingState {
  execCalls: number;
  logs: string[];
}

function answerFor(command: string, size: number): WireResult<SandboxExecResponse, SandboxError> {
  if (command === "deny") return { Err: { CommandNotAllowed: "x".repeat(size) } };
  return {
    Ok: {
      exit_code: 0,
      stdout: Uint8Array.from({ length: size }, (_, i) => i % 251),
      stderr: new Uint8Array(0),
      duration_ms: 1,
      stdout_truncated: false,
      stderr_truncated: false,
      signal: undefined,
    },
  };
}

const registrar: HostFunctionRegistrar<CountingState> = {
  namespace: "platform_sandbox",
  createState: () => ({ execCalls: 0, logs: [] }),
  imports: [
    {
      kind: "request",
      name: "sandbox_exec",
      async handle(request, call) {
        call.state.execCalls += 1;
        const decoded = decodeSandboxExecRequest(request);
        return answerFor(decoded.command, Number(decoded.args[0]));
      },
    },
    {
      kind: "worker",
      name: "log_message",
      params: ["i32", "i32", "i32"],
      results: [],
      moduleUrl: new URL("./support/logImport.mjs", import.meta.url).href,
      exportName: "createLogMessage",
      config: null,
      onMessage(message, call) {
        call.state.logs.push((message as { text: string }).text);
      },
    },
  ],
};

let runtime: WasmRuntime;
beforeAll(() => {
  runtime = new WasmRuntime({ workerPoolSize: 1, maxMemoryBytes: 4 * 1024 * 1024 });
});
afterAll(async () => {
  await runtime.close();
});

async function run(agentData: string, onError?: (error: unknown, state: CountingState) => void) {
  const module = await runtime.compileModule(new Uint8Array(readFileSync(guestPath("takeResultGuest"))));
  const instance = await runtime.instantiate(module, { challengeId: "take-result", timeoutMs: 20_000 }, [
    registrar,
  ]);
  try {
    const output = await instance.evaluate({
      agent_data: new TextEncoder().encode(agentData),
      challenge_id: "take-result",
      params: new Uint8Array(0),
      task_definition: undefined,
      environment_config: undefined,
    });
    return { output, state: instance.stateOf(registrar) };
  } catch (error) {
    if (!onError) throw error;
    onError(error, instance.stateOf(registrar));
    return { output: undefined, state: instance.stateOf(registrar) };
  } finally {
    await instance.dispose();
  }
}

describe("SDK host calls through take_result", () => {
  it("keeps the 4 KiB buffer for a response that fits", async () => {
    const { output, state } = await run("1000");
    expect(output).toMatchObject({ score: 1000, valid: true, message: "intact buffer=4096" });
    expect(state.execCalls).toBe(1);
  });

  it.each([4097, 20_000, 300_000])(
    "delivers a %i-byte stdout intact, growing the buffer to exactly the envelope's size",
    async (size) => {
      const envelope = encodeSandboxExecEnvelope(answerFor("emit", size));
      expect(envelope.length).toBeGreaterThan(4096);
      const { output, state } = await run(String(size));
      expect(output).toMatchObject({ score: size, valid: true, message: `intact buffer=${envelope.length}` });
      expect(state.execCalls).toBe(1);
    },
  );

  it("delivers a large Err envelope the same way", async () => {
    const envelope = encodeSandboxExecEnvelope(answerFor("deny", 9000));
    const { output, state } = await run("deny 9000");
    expect(output).toMatchObject({
      valid: false,
      message: `CommandNotAllowed 9000 buffer=${envelope.length}`,
    });
    expect(state.execCalls).toBe(1);
  });

  it("turns a response larger than guest memory can grow into an error value, not a trap", async () => {
    const { output, state } = await run(String(6 * 1024 * 1024));
    expect(output?.valid).toBe(false);
    expect(output?.message).toMatch(
      /^HostProtocol \d+ buffer=4096: response of \d+ bytes does not fit in guest memory$/,
    );
    expect(state.execCalls).toBe(1);
  });

  it("logs an abort through log_message before trapping", async () => {
    let caught: unknown;
    let logs: string[] = [];
    await run("abort", (error, state) => {
      caught = error;
      logs = state.logs;
    });
    expect(caught).toMatchObject({ code: "GUEST_TRAP" });
    // Log messages are forwarded without blocking; give the last one a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs).toContain("abort: the test asked for it");
  });
});
