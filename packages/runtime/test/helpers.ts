// Shared pieces of the runtime's integration tests: a test registrar and a well-behaved evaluation to run
// next to every hostile one.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { type EvaluationInput, encodeEvaluationInput } from "@platform-wasm/wire";
import { expect } from "vitest";
import type { HostFunctionRegistrar } from "../src/index.js";
import type { WasmRuntime } from "../src/runtime.js";

/** Per-instance state of {@link testRegistrar}. */
export interface TestState {
  calls: number;
  notes: (string | null)[];
  signals: AbortSignal[];
  aborted: number;
}

const decoder = new TextDecoder();
const importsUrl = new URL("./fixtures/testImports.mjs", import.meta.url).href;

/**
 * `test_ns`: `ping` answers `"pong"` (or 5000 bytes for `"big"`; waits for its AbortSignal for `"hang"`;
 * echoes requests over 100 000 bytes),
 * `tick` and `note` run in the worker.
 */
export function testRegistrar(namespace = "test_ns"): HostFunctionRegistrar<TestState> {
  return {
    namespace,
    createState: () => ({ calls: 0, notes: [], signals: [], aborted: 0 }),
    imports: [
      {
        kind: "request",
        name: "ping",
        async handle(request, call) {
          call.state.calls++;
          call.state.signals.push(call.signal);
          // Large requests are echoed: both directions then exceed the shared buffer.
          if (request.length > 100_000) return { Ok: request };
          const text = decoder.decode(request);
          if (text === "big") return { Ok: new Uint8Array(5000).fill(7) };
          if (text === "hang") {
            await new Promise<void>((resolve) => call.signal.addEventListener("abort", () => resolve()));
            call.state.aborted++;
            return { Err: "aborted" };
          }
          return { Ok: "pong" };
        },
      },
      {
        kind: "worker",
        name: "tick",
        params: [],
        results: ["i64"],
        moduleUrl: importsUrl,
        exportName: "createTick",
        config: { start: 1 },
      },
      {
        kind: "worker",
        name: "note",
        params: ["i32", "i32"],
        results: [],
        moduleUrl: importsUrl,
        exportName: "createNote",
        config: null,
        onMessage(message, call) {
          call.state.notes.push(message as string | null);
        },
      },
    ],
  };
}

/** An EvaluationInput with the given agent data. */
export function input(agentData: Uint8Array = new Uint8Array([1, 2, 3])): EvaluationInput {
  return {
    agent_data: agentData,
    challenge_id: "challenge-1",
    params: new Uint8Array([9]),
    task_definition: undefined,
    environment_config: undefined,
  };
}

/** Byte sum of the encoded input: the score rt-echo answers. */
export function expectedScore(value: EvaluationInput): number {
  let sum = 0;
  for (const b of encodeEvaluationInput(value)) sum = (sum + b) >>> 0;
  return sum;
}

/** A full well-behaved evaluation of rt-echo; asserts its result. */
export async function goodEvaluation(runtime: WasmRuntime): Promise<void> {
  const module = await runtime.compileModule(loadFixture("rt-echo"));
  const instance = await runtime.instantiate(module, { challengeId: "good" }, []);
  try {
    const value = input(new Uint8Array([5, 6, 7, 8]));
    const output = await instance.evaluate(value);
    expect(output).toEqual({ score: expectedScore(value), valid: true, message: "ok", metrics: undefined });
  } finally {
    await instance.dispose();
  }
}

/**
 * Runs `hostile` next to a well-behaved evaluation; asserts the good one succeeded and returns the
 * hostile one's rejection.
 */
export async function containedNextToGood(
  runtime: WasmRuntime,
  hostile: () => Promise<unknown>,
): Promise<unknown> {
  const [bad, good] = await Promise.allSettled([hostile(), goodEvaluation(runtime)]);
  if (good.status === "rejected") throw good.reason;
  if (bad.status === "fulfilled") throw new Error("the hostile evaluation was expected to fail");
  return bad.reason;
}
