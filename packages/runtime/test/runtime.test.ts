// End-to-end tests with real guest modules (packages/guest-fixtures/wat/rt-*.wat): every hostile guest is
// contained with its typed error while a well-behaved evaluation runs next to it.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChallengeInstance,
  isGuestTrapError,
  isLinkError,
  isRuntimeError,
  type LinkError,
  type RuntimeError,
  RuntimeErrorCode,
  WasmRuntime,
} from "../src/index.js";
import { containedNextToGood, expectedScore, input, type TestState, testRegistrar } from "./helpers.js";

let runtime: WasmRuntime;

beforeAll(() => {
  runtime = new WasmRuntime({ workerPoolSize: 2, maxInstances: 8, defaultTimeoutMs: 5_000 });
});

afterAll(async () => {
  await runtime.close();
});

async function withInstance<T>(
  fixture: string,
  body: (instance: ChallengeInstance) => Promise<T>,
  options: { timeoutMs?: number; registrars?: boolean } = {},
): Promise<T> {
  const module = await runtime.compileModule(loadFixture(fixture));
  const instance = await runtime.instantiate(
    module,
    { challengeId: fixture, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) },
    options.registrars === false ? [] : [testRegistrar()],
  );
  try {
    return await body(instance);
  } finally {
    await instance.dispose();
  }
}

function codeOf(error: unknown): string | undefined {
  return isRuntimeError(error) ? error.code : undefined;
}

describe("evaluation contract", () => {
  it("round-trips an EvaluationInput through alloc + evaluate", async () => {
    await withInstance(
      "rt-echo",
      async (instance) => {
        const value = input(new Uint8Array(3000).fill(1));
        const output = await instance.evaluate(value);
        expect(output).toEqual({
          score: expectedScore(value),
          valid: true,
          message: "ok",
          metrics: undefined,
        });
        expect(await instance.validate(value)).toBe(true);
        expect(await instance.getName()).toBe("rt-echo");
        expect(await instance.getVersion()).toBe("1.2.3");
        expect(await instance.callExport("add", 2, 3)).toBe(5);
        expect(await instance.callExport("add64", 2n ** 40n, 1n)).toBe(2n ** 40n + 1n);
        const stats = instance.stats();
        expect(stats.memoryUsedBytes).toBe(65536);
        expect(stats.wallTimeMs).toBeGreaterThan(0);
      },
      { registrars: false },
    );
  });

  it("places a large input by growing guest memory through alloc", async () => {
    await withInstance(
      "rt-echo",
      async (instance) => {
        const value = input(new Uint8Array(300_000).fill(2));
        expect((await instance.evaluate(value))?.score).toBe(expectedScore(value));
        expect(instance.stats().memoryUsedBytes).toBeGreaterThan(300_000);
      },
      { registrars: false },
    );
  });

  it("falls back to allocate(size, align)", async () => {
    await withInstance(
      "rt-allocate",
      async (instance) => {
        expect(await instance.evaluate(input())).toBeUndefined();
        expect(await instance.callExport("seen_align")).toBe(8);
      },
      { registrars: false },
    );
  });

  it("reads and writes memory with bounds checks", async () => {
    await withInstance(
      "rt-echo",
      async (instance) => {
        await instance.writeMemory(4000, new Uint8Array([1, 2, 3]));
        expect(await instance.readMemory(4000, 3)).toEqual(new Uint8Array([1, 2, 3]));
        for (const [ptr, len] of [
          [65535, 2],
          [-1, 1],
          [0, -1],
          [2 ** 32, 1],
        ] as const) {
          const error = await instance.readMemory(ptr, len).catch((e: unknown) => e);
          expect(codeOf(error)).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
        }
        const error = await instance.writeMemory(65535, new Uint8Array(2)).catch((e: unknown) => e);
        expect(codeOf(error)).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
      },
      { registrars: false },
    );
  });

  it("returns undefined names when get_name/get_version are absent", async () => {
    await withInstance(
      "rt-allocate",
      async (instance) => {
        expect(await instance.getName()).toBeUndefined();
        expect(await instance.getVersion()).toBeUndefined();
      },
      { registrars: false },
    );
  });
});

describe("host imports", () => {
  it("serves a request import in a loop, counts calls and keeps state per instance", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const a = await runtime.instantiate(module, {}, [registrar]);
    const b = await runtime.instantiate(module, {}, [registrar]);
    try {
      expect(await a.callExport("loop", 500)).toBe(500);
      expect(await a.readMemory(1024, 13)).toEqual(
        new Uint8Array([0x81, 0xa2, 0x4f, 0x6b, 0xa4, 0x70, 0x6f, 0x6e, 0x67, 0, 0, 0, 0]),
      );
      expect(a.stateOf(registrar).calls).toBe(500);
      expect(b.stateOf(registrar).calls).toBe(0);
      expect(a.stats().hostCalls["test_ns.ping"]).toBe(500);
      expect(a.stats().hostCalls["test_ns.take_result"]).toBe(0);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it("runs every host call on the host, also when the call follows instantiation at once", async () => {
    // Regression: a command taken from the port before its doorbell was seen once let the first host
    // call of an instance read the previous answer without reaching the host.
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    for (let i = 0; i < 40; i++) {
      const instance = await runtime.instantiate(module, {}, [registrar]);
      try {
        expect(await instance.callExport("loop", 2)).toBe(2);
        expect(instance.stateOf(registrar).calls).toBe(2);
      } finally {
        await instance.dispose();
      }
    }
  });

  it("answers worker-side imports inside the worker and forwards posted messages in order", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, {}, [registrar]);
    try {
      expect(await instance.callExport("ticks", 4)).toBe(1n + 2n + 3n + 4n);
      await instance.callExport("note", 0, 4);
      await instance.callExport("note", 1, 2);
      await instance.callExport("note", 65535, 2);
      expect(registrar.createState).toBeDefined();
      expect(instance.stateOf(registrar).notes).toEqual(["ping", "in", null]);
      expect(instance.stats().hostCalls["test_ns.tick"]).toBe(4);
      expect(instance.stats().hostCalls["test_ns.note"]).toBe(3);
    } finally {
      await instance.dispose();
    }
  });

  it("bounds the worker-side messages in flight: a posting flood is dropped, not queued without limit", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, {}, [registrar]);
    try {
      // The guest posts 30 000 messages while the host's event loop is kept busy (a slow host).
      const flood = instance.callExport("notes", 30_000);
      await new Promise((resolve) => setImmediate(resolve)); // the command is posted
      const until = performance.now() + 400;
      while (performance.now() < until) {
        // block the host thread: nothing is delivered meanwhile
      }
      expect(await flood).toBeUndefined();
      const delivered = instance.stateOf(registrar).notes.length;
      const dropped = instance.stats().droppedMessages;
      expect(dropped).toBeGreaterThan(0);
      expect(delivered + dropped).toBe(30_000);
      // Delivered messages free their slots again.
      await instance.callExport("notes", 5);
      expect(instance.stateOf(registrar).notes.length).toBe(delivered + 5);
    } finally {
      await instance.dispose();
    }
  });

  it("returns -1 for out-of-bounds request/response ranges without running the handler", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const bad = async (): Promise<never> => {
      const instance = await runtime.instantiate(module, {}, [registrar]);
      try {
        const cases: [number, number, number, number][] = [
          [-1, 4, 1024, 64], // negative request pointer
          [0, -4, 1024, 64], // negative request length
          [65534, 4, 1024, 64], // request runs past memory
          [0, 0x7fffffff, 1024, 64], // huge req_len
          [0, 4, 65500, 100], // response range past memory
          [0, 4, -8, 16], // negative response pointer
          [0, 4, 1024, -1], // negative response length
          [0x7fffffff, 0x7fffffff, 0, 0], // overflowing sum
        ];
        for (const c of cases) expect(await instance.callExport("call", ...c)).toBe(-1);
        expect(instance.stateOf(registrar).calls).toBe(0);
        expect(await instance.callExport("take", -1, 4)).toBe(-1);
        // A guest that keeps probing cannot do more than waste its own time; the instance still works.
        expect(await instance.callExport("call", 0, 4, 1024, 64)).toBeGreaterThan(0);
        expect(instance.stateOf(registrar).calls).toBe(1);
      } finally {
        await instance.dispose();
      }
      throw new Error("done");
    };
    const error = await containedNextToGood(runtime, bad);
    expect((error as Error).message).toBe("done");
  });

  it("keeps an envelope that does not fit and hands it out through take_result without re-running", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, {}, [registrar]);
    try {
      await instance.writeMemory(100, new TextEncoder().encode("big"));
      expect(await instance.callExport("take", 1024, 64)).toBe(0); // nothing kept yet
      const r = (await instance.callExport("call", 100, 3, 1024, 64)) as number;
      expect(r).toBeLessThan(-1);
      const needed = -r;
      expect(await instance.callExport("take", 1024, 16)).toBe(r); // still too small: same code, still kept
      expect(await instance.callExport("take", 8192, needed)).toBe(needed);
      const envelope = await instance.readMemory(8192, needed);
      expect(envelope[0]).toBe(0x81); // {"Ok": bin(5000)}
      expect(envelope.subarray(needed - 5000)).toEqual(new Uint8Array(5000).fill(7));
      expect(await instance.callExport("take", 8192, needed)).toBe(0); // handed out once
      expect(instance.stateOf(registrar).calls).toBe(1);
    } finally {
      await instance.dispose();
    }
  });

  it("moves requests and envelopes larger than the shared buffer through the port", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, {}, [registrar]);
    try {
      expect(await instance.callExport("grow", 20)).toBe(1); // 21 pages = 1 376 256 bytes
      const payload = new Uint8Array(400_000);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
      await instance.writeMemory(65536, payload);
      const r = (await instance.callExport("call", 65536, payload.length, 1024, 64)) as number;
      expect(r).toBeLessThan(-payload.length); // envelope kept: it needs more than the payload
      expect(await instance.callExport("take", 600_000, -r)).toBe(-r);
      const envelope = await instance.readMemory(600_000, -r);
      // Buffer.equals: a deep toEqual over 400 000 elements takes seconds.
      expect(Buffer.from(envelope.subarray(-r - payload.length)).equals(payload)).toBe(true);
      // Fits at once: written straight to resp_ptr.
      expect(await instance.callExport("call", 65536, payload.length, 600_000, 500_000)).toBe(-r);
      expect(instance.stateOf(registrar).calls).toBe(2);
    } finally {
      await instance.dispose();
    }
  });
});

describe("containment (each next to a well-behaved evaluation)", () => {
  it("stops an infinite loop at the deadline and recycles the worker", async () => {
    const started = performance.now();
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-infinite-loop", (i) => i.evaluate(input()), { timeoutMs: 300, registrars: false }),
    );
    expect(codeOf(error)).toBe(RuntimeErrorCode.DEADLINE_EXCEEDED);
    expect(performance.now() - started).toBeLessThan(4_000);
    // The pool still serves instances afterwards.
    await containedNextToGood(runtime, () => Promise.reject(new Error("noop")));
  });

  it("terminates a guest blocked in a host call at the deadline and aborts the host operation", async () => {
    const registrar = testRegistrar();
    const module = await runtime.compileModule(loadFixture("rt-host"));
    let state: TestState | undefined;
    const error = await containedNextToGood(runtime, async () => {
      const instance = await runtime.instantiate(module, { timeoutMs: 300 }, [registrar]);
      state = instance.stateOf(registrar);
      await instance.writeMemory(100, new TextEncoder().encode("hang"));
      try {
        return await instance.callExport("call", 100, 4, 1024, 64);
      } finally {
        await instance.dispose();
      }
    });
    expect(codeOf(error)).toBe(RuntimeErrorCode.DEADLINE_EXCEEDED);
    expect(state?.signals[0]?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(state?.aborted).toBe(1);
  });

  it("contains a memory.grow bomb at the cap", async () => {
    const small = new WasmRuntime({ workerPoolSize: 1, maxMemoryBytes: 4 * 1024 * 1024 });
    try {
      const module = await small.compileModule(loadFixture("rt-grow-bomb"));
      expect(module.maxMemoryBytes).toBe(4 * 1024 * 1024);
      const error = await containedNextToGood(runtime, async () => {
        const instance = await small.instantiate(module, {}, []);
        try {
          return await instance.evaluate(input());
        } finally {
          expect(instance.stats().memoryUsedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
          await instance.dispose();
        }
      });
      expect(codeOf(error)).toBe(RuntimeErrorCode.MEMORY_LIMIT);
    } finally {
      await small.close();
    }
  });

  it("contains a table.grow bomb (tables are capped like memory, the host process survives)", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-table-bomb", (i) => i.evaluate(input()), { registrars: false }),
    );
    expect(isGuestTrapError(error)).toBe(true);
  });

  it("contains deep recursion as a guest trap", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-recursion", (i) => i.evaluate(input()), { registrars: false }),
    );
    expect(isGuestTrapError(error)).toBe(true);
    expect((error as RuntimeError).message).toMatch(/call stack/i);
  });

  it("reports a missing allocator", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-no-alloc", (i) => i.evaluate(input()), { registrars: false }),
    );
    expect(codeOf(error)).toBe(RuntimeErrorCode.MISSING_EXPORT);
    expect((error as Error).message).toMatch(/alloc/);
  });

  it("reports a missing evaluate and validate", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-no-evaluate", (i) => i.evaluate(input()), { registrars: false }),
    );
    expect(codeOf(error)).toBe(RuntimeErrorCode.MISSING_EXPORT);
    const v = await withInstance("rt-no-evaluate", (i) => i.validate(input()), { registrars: false }).catch(
      (e) => e,
    );
    expect(codeOf(v)).toBe(RuntimeErrorCode.MISSING_EXPORT);
  });

  it("rejects an out-of-range output pointer, name pointers and allocator results", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-bad-output", (i) => i.evaluate(input()), { registrars: false }),
    );
    expect(codeOf(error)).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
    await withInstance(
      "rt-bad-output",
      async (i) => {
        expect(codeOf(await i.getName().catch((e) => e))).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
        expect(codeOf(await i.getVersion().catch((e) => e))).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
      },
      { registrars: false },
    );
    const alloc = await withInstance("rt-bad-alloc", (i) => i.evaluate(input()), { registrars: false }).catch(
      (e) => e,
    );
    expect(codeOf(alloc)).toBe(RuntimeErrorCode.INVALID_GUEST_OUTPUT);
  });

  it("lists every unknown import", async () => {
    const error = await containedNextToGood(runtime, () =>
      withInstance("rt-unknown-import", (i) => i.evaluate(input())),
    );
    expect(isLinkError(error)).toBe(true);
    const missing = (error as LinkError).missing.map((m) => `${m.module}.${m.name}`);
    expect(missing).toEqual(["nope.first", "test_ns.missing", "other.g"]);
    expect((error as Error).message).toContain("nope.first");
  });

  it("refuses two registrars defining the same import", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const error = await containedNextToGood(runtime, () =>
      runtime.instantiate(module, {}, [testRegistrar(), testRegistrar()]),
    );
    expect(isLinkError(error)).toBe(true);
    expect((error as LinkError).duplicates.map((d) => d.name)).toEqual(["ping", "tick", "note"]);
  });

  it("refuses an import whose signature differs from the registrar's declaration", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const base = testRegistrar();
    const imports = base.imports.map((i) =>
      i.kind === "worker" && i.name === "tick"
        ? { ...i, params: ["i32"] as const, results: ["i32"] as const }
        : i,
    );
    const error = await runtime.instantiate(module, {}, [{ ...base, imports }]).catch((e: unknown) => e);
    expect(isLinkError(error)).toBe(true);
    expect((error as Error).message).toContain("test_ns.tick is imported as () -> (i64)");
  });

  it("fails to link when a worker-side import module cannot be loaded", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const base = testRegistrar();
    const imports = base.imports.map((i) =>
      i.kind === "worker"
        ? { ...i, moduleUrl: new URL("./fixtures/doesNotExist.mjs", import.meta.url).href }
        : i,
    );
    const error = await containedNextToGood(runtime, () =>
      runtime.instantiate(module, {}, [{ ...base, imports }]),
    );
    expect(codeOf(error)).toBe(RuntimeErrorCode.LINK_FAILED);
    expect((error as Error).message).toContain("doesNotExist.mjs");
  });

  it("refuses a registrar declaring take_result itself", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const base = testRegistrar();
    const error = await runtime
      .instantiate(module, {}, [
        {
          ...base,
          imports: [
            ...base.imports,
            { kind: "request", name: "take_result", handle: async () => ({ Ok: null }) },
          ],
        },
      ])
      .catch((e: unknown) => e);
    expect(isLinkError(error)).toBe(true);
  });

  it("reports a trap in a start function at instantiation", async () => {
    const module = await runtime.compileModule(loadFixture("rt-start-trap"));
    const error = await containedNextToGood(runtime, () => runtime.instantiate(module, {}, []));
    expect(isGuestTrapError(error)).toBe(true);
  });
});

describe("compilation", () => {
  it("hashes, lists imports/exports with signatures", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    expect(module.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(module.metered).toBe(false);
    expect(module.imports).toContainEqual({
      module: "test_ns",
      name: "ping",
      kind: "function",
      signature: { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
    });
    expect(module.exports.map((e) => e.name)).toContain("loop");
  });

  it("refuses shared, 64-bit and multiple memories", async () => {
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const shared = Uint8Array.from([...header, 0x05, 0x04, 0x01, 0x03, 0x01, 0x02]);
    const multi = Uint8Array.from([...header, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01]);
    for (const bytes of [shared, multi, loadFixture("rt-memory64")]) {
      const error = await runtime.compileModule(bytes).catch((e: unknown) => e);
      expect(codeOf(error)).toBe(RuntimeErrorCode.MODULE_UNSUPPORTED);
    }
  });

  it("refuses garbage with MODULE_COMPILE_FAILED", async () => {
    for (const bytes of [
      new Uint8Array([1, 2, 3]),
      new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x7f]),
    ]) {
      expect(codeOf(await runtime.compileModule(bytes).catch((e: unknown) => e))).toBe(
        RuntimeErrorCode.MODULE_COMPILE_FAILED,
      );
    }
  });

  it("refuses an initial memory larger than the cap with MEMORY_LIMIT", async () => {
    expect(codeOf(await runtime.compileModule(loadFixture("rt-big-initial")).catch((e: unknown) => e))).toBe(
      RuntimeErrorCode.MEMORY_LIMIT,
    );
  });

  it("caps an imported memory and keeps a lower declared maximum", async () => {
    const module = await runtime.compileModule(loadFixture("rt-imported-memory"), {
      maxMemoryBytes: 4 * 65536,
    });
    const instance = await runtime.instantiate(module, {}, []);
    try {
      expect(await instance.callExport("grow", 3)).toBe(1);
      expect(await instance.callExport("grow", 1)).toBe(-1);
      expect(instance.stats().memoryUsedBytes).toBe(4 * 65536);
    } finally {
      await instance.dispose();
    }
    await withInstance(
      "rt-declared-max",
      async (i) => {
        expect(await i.callExport("grow", 3)).toBe(1);
        expect(await i.callExport("grow", 1)).toBe(-1);
      },
      { registrars: false },
    );
  });
});

describe("capacity and lifecycle", () => {
  it("queues beyond maxInstances and refuses beyond maxQueued", async () => {
    const tight = new WasmRuntime({ workerPoolSize: 1, maxInstances: 1, maxQueued: 1 });
    try {
      const module = await tight.compileModule(loadFixture("rt-echo"));
      const first = await tight.instantiate(module, {}, []);
      const queued = tight.instantiate(module, {}, []);
      const refused = await tight.instantiate(module, {}, []).catch((e: unknown) => e);
      expect(codeOf(refused)).toBe(RuntimeErrorCode.OVER_CAPACITY);
      expect(tight.load()).toEqual({ active: 1, queued: 1 });
      await first.dispose();
      const second = await queued;
      expect((await second.evaluate(input()))?.message).toBe("ok");
      await second.dispose();
    } finally {
      await tight.close();
    }
  });

  it("rejects calls after dispose and stops an operation in flight", async () => {
    const module = await runtime.compileModule(loadFixture("rt-infinite-loop"));
    const instance = await runtime.instantiate(module, {}, []);
    const running = instance.evaluate(input()).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await instance.dispose();
    expect(codeOf(await running)).toBe(RuntimeErrorCode.INSTANCE_DISPOSED);
    expect(codeOf(await instance.evaluate(input()).catch((e: unknown) => e))).toBe(
      RuntimeErrorCode.INSTANCE_DISPOSED,
    );
    await instance.dispose();
  });

  it("gives the slot and worker back when a registrar's createState throws", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const base = testRegistrar();
    const broken = {
      ...base,
      createState: () => {
        throw new Error("state boom");
      },
    };
    const error = await runtime.instantiate(module, {}, [broken]).catch((e: unknown) => e);
    expect(codeOf(error)).toBe(RuntimeErrorCode.RUNTIME_FAILURE);
    expect((error as Error).message).toContain("state boom");
    expect(runtime.load()).toEqual({ active: 0, queued: 0 });
  });

  it("ends the instance with RUNTIME_FAILURE when a host handler throws, next to a good evaluation", async () => {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const base = testRegistrar();
    const imports = base.imports.map((i) =>
      i.kind === "request"
        ? {
            ...i,
            handle: async () => {
              throw new Error("handler boom");
            },
          }
        : i,
    );
    const error = await containedNextToGood(runtime, async () => {
      const instance = await runtime.instantiate(module, {}, [{ ...base, imports }]);
      try {
        return await instance.callExport("loop", 3);
      } finally {
        await instance.dispose();
      }
    });
    expect(codeOf(error)).toBe(RuntimeErrorCode.RUNTIME_FAILURE);
    expect((error as Error).message).toContain("handler boom");
  });

  it("refuses modules not made by compileModule and invalid configs", async () => {
    const fake = { hash: "", imports: [], exports: [], metered: false, maxMemoryBytes: 65536 };
    expect(codeOf(await runtime.instantiate(fake, {}, []).catch((e: unknown) => e))).toBe(
      RuntimeErrorCode.MODULE_COMPILE_FAILED,
    );
    const module = await runtime.compileModule(loadFixture("rt-echo"));
    expect(codeOf(await runtime.instantiate(module, { timeoutMs: 0 }, []).catch((e: unknown) => e))).toBe(
      RuntimeErrorCode.CONFIG_INVALID,
    );
    expect(() => new WasmRuntime({ maxMemoryBytes: 100 })).toThrowError(/maxMemoryBytes/);
  });
});
