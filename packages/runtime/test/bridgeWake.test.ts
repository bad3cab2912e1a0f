// Regression: a wake-up of a wait in the worker bridge is only a hint. The host increments W_ANSWER_SEQ
// and notifies in two steps; when it is preempted between them, the notify of one answer reaches the
// guest's wait for the NEXT answer. The worker then handed the guest the data area as it stood (its own
// request bytes) instead of the answer. Here the test delivers that stale notify itself.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { encodeEnvelope } from "@platform-wasm/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostFunctionRegistrar, WasmRuntime } from "../src/index.js";
import { W_ANSWER_SEQ } from "../src/internal/protocol.js";

const REQ_PTR = 512;
const RESP_PTR = 1024;
const RESP_LEN = 1024;

let runtime: WasmRuntime;
let release: (() => void) | undefined;
let handling: (() => void) | undefined;

/** `test_ns.ping` answers "pong"; a request "slow" is held until the test releases it. */
const registrar: HostFunctionRegistrar<null> = {
  namespace: "test_ns",
  createState: () => null,
  imports: [
    {
      kind: "request",
      name: "ping",
      async handle(request) {
        if (new TextDecoder().decode(request) === "slow") {
          await new Promise<void>((resolve) => {
            release = resolve;
            handling?.();
          });
        }
        return { Ok: "pong" };
      },
    },
    // rt-host also imports these worker-side functions; they are not called here.
    {
      kind: "worker",
      name: "tick",
      params: [],
      results: ["i64"],
      moduleUrl: new URL("./fixtures/testImports.mjs", import.meta.url).href,
      exportName: "createTick",
      config: { start: 1 },
    },
    {
      kind: "worker",
      name: "note",
      params: ["i32", "i32"],
      results: [],
      moduleUrl: new URL("./fixtures/testImports.mjs", import.meta.url).href,
      exportName: "createNote",
      config: null,
    },
  ],
};

beforeAll(() => {
  runtime = new WasmRuntime({ workerPoolSize: 1, defaultTimeoutMs: 10_000 });
});

afterAll(async () => {
  await runtime.close();
});

describe("worker bridge wake-ups", () => {
  it("a stale notify of the previous answer does not hand the guest a wrong answer", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, { challengeId: "wake" }, [registrar]);
    try {
      const header = (instance as unknown as { parts: { worker: { header: Int32Array } } }).parts.worker
        .header;
      const pong = encodeEnvelope({ Ok: "pong" });
      const call = async (text: string) => {
        const request = new TextEncoder().encode(text);
        await instance.writeMemory(REQ_PTR, request);
        return instance.callExport("call", REQ_PTR, request.length, RESP_PTR, RESP_LEN);
      };
      expect(await call("ping")).toBe(pong.length);
      const held = new Promise<void>((resolve) => {
        handling = resolve;
      });
      const second = call("slow");
      await held;
      // The guest now sleeps waiting for the second answer: wake it without one.
      Atomics.notify(header, W_ANSWER_SEQ);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release?.();
      expect(await second).toBe(pong.length);
      expect([...(await instance.readMemory(RESP_PTR, pong.length))]).toEqual([...pong]);
    } finally {
      await instance.dispose();
    }
  });
});
