// The runtime side of fuel metering: budgets set before guest code runs (start functions included),
// FUEL_EXHAUSTED distinct from a deadline, deterministic consumption across instances and workers.
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRuntimeError, RuntimeErrorCode, WasmRuntime } from "../src/index.js";
import { containedNextToGood, expectedScore, input } from "./helpers.js";

let runtime: WasmRuntime;

beforeAll(() => {
  runtime = new WasmRuntime({ workerPoolSize: 2, fuel: { enabled: true, defaultLimit: 1_000_000 } });
});

afterAll(async () => {
  await runtime.close();
});

function codeOf(error: unknown): string | undefined {
  return isRuntimeError(error) ? error.code : undefined;
}

describe("fuel", () => {
  it("meters a module, hides the fuel global and computes the unmetered result", async () => {
    const module = await runtime.compileModule(loadFixture("fuel-loop"));
    expect(module.metered).toBe(true);
    expect(module.exports.map((e) => e.name)).not.toContain("__platform_fuel");
    const plain = await runtime.compileModule(loadFixture("fuel-loop"), { fuel: false });
    expect(plain.metered).toBe(false);
    const a = await runtime.instantiate(module, {}, []);
    const b = await runtime.instantiate(plain, {}, []);
    try {
      expect(await a.callExport("sum", 1000)).toBe(await b.callExport("sum", 1000));
      const consumed = a.fuelConsumed()!;
      expect(consumed).toBeGreaterThan(1000);
      expect(a.fuelRemaining()).toBe(1_000_000 - consumed);
      expect(b.fuelConsumed()).toBeUndefined();
      expect(b.fuelRemaining()).toBeUndefined();
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it("consumes the same fuel in every instance and worker", async () => {
    const module = await runtime.compileModule(loadFixture("fuel-loop"));
    const counts = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const instance = await runtime.instantiate(module, { fuelLimit: 5_000_000 }, []);
        try {
          await instance.callExport("collatz", 27);
          await instance.callExport("sum", 777);
          return instance.fuelConsumed();
        } finally {
          await instance.dispose();
        }
      }),
    );
    expect(new Set(counts).size).toBe(1);
  });

  it("stops an exhausted guest with FUEL_EXHAUSTED at the same count, next to a good evaluation", async () => {
    const module = await runtime.compileModule(loadFixture("fuel-loop"));
    const remaining: (number | undefined)[] = [];
    for (let i = 0; i < 2; i++) {
      const error = await containedNextToGood(runtime, async () => {
        const instance = await runtime.instantiate(module, { fuelLimit: 500 }, []);
        try {
          return await instance.callExport("sum", 1_000_000);
        } finally {
          remaining.push(instance.fuelRemaining());
          expect(instance.fuelConsumed()).toBe(500);
          await instance.dispose();
        }
      });
      expect(codeOf(error)).toBe(RuntimeErrorCode.FUEL_EXHAUSTED);
    }
    expect(remaining).toEqual([0, 0]);
  });

  it("ends an infinite loop by fuel long before the deadline", async () => {
    const module = await runtime.compileModule(loadFixture("rt-infinite-loop"));
    const instance = await runtime.instantiate(module, { fuelLimit: 100_000, timeoutMs: 30_000 }, []);
    const started = performance.now();
    try {
      expect(codeOf(await instance.evaluate(input()).catch((e: unknown) => e))).toBe(
        RuntimeErrorCode.FUEL_EXHAUSTED,
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await instance.dispose();
    }
  });

  it("charges a start function to the budget and fails instantiation when it runs out", async () => {
    const module = await runtime.compileModule(loadFixture("fuel-start"));
    const plain = await runtime.compileModule(loadFixture("fuel-start"), { fuel: false });
    const metered = await runtime.instantiate(module, {}, []);
    const unmetered = await runtime.instantiate(plain, {}, []);
    try {
      expect(metered.fuelConsumed()).toBeGreaterThan(0);
      expect(await metered.callExport("seed")).toBe(await unmetered.callExport("seed"));
    } finally {
      await metered.dispose();
      await unmetered.dispose();
    }
    const error = await runtime.instantiate(module, { fuelLimit: 3 }, []).catch((e: unknown) => e);
    expect(codeOf(error)).toBe(RuntimeErrorCode.FUEL_EXHAUSTED);
  });

  it("evaluates a metered guest end to end", async () => {
    const module = await runtime.compileModule(loadFixture("rt-echo"));
    const instance = await runtime.instantiate(module, {}, []);
    try {
      const value = input();
      expect((await instance.evaluate(value))?.score).toBe(expectedScore(value));
      expect(instance.fuelConsumed()).toBeGreaterThan(0);
    } finally {
      await instance.dispose();
    }
  });
});
