// Regression: one large evaluation must not slow every later evaluation on the same worker. The input's
// encoding was a view into the encoder's reused buffer (grown to 32 MiB by an 8 MiB input); posting it
// to the worker structured-cloned that whole buffer on every later call (0.3–1.2 s instead of ~1 ms).
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WasmModule, WasmRuntime } from "../src/index.js";
import { input } from "./helpers.js";

const SMALL_RUNS = 20;
const LARGE_BYTES = 8 * 1024 * 1024;

let runtime: WasmRuntime;
let module: WasmModule;

beforeAll(async () => {
  // One worker: every evaluation runs on the worker that saw the large input.
  runtime = new WasmRuntime({ workerPoolSize: 1, maxInstances: 1, defaultTimeoutMs: 30_000 });
  module = await runtime.compileModule(loadFixture("val-echo-length"));
});

afterAll(async () => {
  await runtime.close();
});

/** One full instance life (instantiate + evaluate + dispose); returns its wall time in ms. */
async function timedEvaluation(agentData: Uint8Array): Promise<number> {
  const started = performance.now();
  const instance = await runtime.instantiate(module, { challengeId: "c-large", validatorId: "v-1" }, []);
  try {
    const output = await instance.evaluate(input(agentData));
    // The guest scores the length of agent_data: the bytes really reached it.
    expect(output?.score).toBe(agentData.length);
  } finally {
    await instance.dispose();
  }
  return performance.now() - started;
}

async function medianOfSmall(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SMALL_RUNS; i++) times.push(await timedEvaluation(new TextEncoder().encode("small")));
  times.sort((a, b) => a - b);
  return times[SMALL_RUNS >> 1]!;
}

describe("large inputs", () => {
  it("a large input does not slow later evaluations on the same worker", async () => {
    await medianOfSmall(); // warm-up: worker start, module posting, JIT
    const before = await medianOfSmall();
    await timedEvaluation(new Uint8Array(LARGE_BYTES).fill(0xab));
    const after = await medianOfSmall();
    // 5x the median before, with a 20 ms floor so a ~1 ms median on a loaded 2-core machine cannot flake;
    // the regression costs 300+ ms per evaluation.
    expect(after, `median before ${before.toFixed(2)} ms, after ${after.toFixed(2)} ms`).toBeLessThan(
      Math.max(5 * before, 20),
    );
  }, 60_000);
});
