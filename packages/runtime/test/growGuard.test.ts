// The grow guard: a trap after a refused memory.grow is MEMORY_LIMIT whatever the size of the failed
// allocation, a guest that copes with a refused grow keeps working, and other traps stay GUEST_TRAP.
import { readdirSync } from "node:fs";
import { fixtureDir, loadFixture } from "@platform-wasm/guest-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRuntimeError, RuntimeErrorCode, WasmRuntime } from "../src/index.js";
import { GROW_REFUSED_EXPORT, guardMemoryGrow } from "../src/internal/growGuard.js";

const CAP = 4 * 1024 * 1024; // 64 pages

let runtime: WasmRuntime;
let metered: WasmRuntime;

beforeAll(() => {
  runtime = new WasmRuntime({ workerPoolSize: 1, maxMemoryBytes: CAP });
  metered = new WasmRuntime({
    workerPoolSize: 1,
    maxMemoryBytes: CAP,
    fuel: { enabled: true, defaultLimit: 1_000_000 },
  });
});

afterAll(async () => {
  await Promise.all([runtime.close(), metered.close()]);
});

async function codeOfCall(rt: WasmRuntime, name: string, ...args: number[]): Promise<unknown> {
  const module = await rt.compileModule(loadFixture("rt-grow-big"));
  const instance = await rt.instantiate(module, {}, []);
  try {
    return await instance.callExport(name, ...args);
  } catch (error) {
    return isRuntimeError(error) ? error.code : error;
  } finally {
    await instance.dispose();
  }
}

describe("grow guard", () => {
  for (const [label, rt] of [
    ["unmetered", () => runtime],
    ["metered", () => metered],
  ] as const) {
    describe(label, () => {
      it("reports MEMORY_LIMIT for a trap after one large grow refused far below the cap", async () => {
        // 1 page in use, 100 more asked: refused, and memory stays at 1 of 64 pages, where the rule for
        // unguarded modules ("within a page of the cap") sees a plain trap.
        expect(await codeOfCall(rt(), "grow_or_trap", 100)).toBe(RuntimeErrorCode.MEMORY_LIMIT);
      });

      it("leaves a guest that copes with a refused grow alone", async () => {
        expect(await codeOfCall(rt(), "grow_handled", 100)).toBe(-1);
        expect(await codeOfCall(rt(), "grow_handled", 3)).toBe(1);
      });

      it("keeps other traps GUEST_TRAP", async () => {
        expect(await codeOfCall(rt(), "trap")).toBe(RuntimeErrorCode.GUEST_TRAP);
        expect(await codeOfCall(rt(), "grow_or_trap", 3)).toBe(1);
      });

      it("judges each call on its own grows", async () => {
        const module = await rt().compileModule(loadFixture("rt-grow-big"));
        const instance = await rt().instantiate(module, {}, []);
        try {
          expect(await instance.callExport("grow_handled", 100)).toBe(-1);
          const error = await instance.callExport("trap").catch((e: unknown) => e);
          expect(isRuntimeError(error) && error.code).toBe(RuntimeErrorCode.GUEST_TRAP);
        } finally {
          await instance.dispose();
        }
      });

      it("keeps the flag out of the module's export list", async () => {
        const module = await rt().compileModule(loadFixture("rt-grow-big"));
        expect(module.exports.map((e) => e.name)).not.toContain(GROW_REFUSED_EXPORT);
      });
    });
  }

  it("rewrites every memory.grow into a call that behaves the same and raises the flag on refusal", () => {
    const guarded = guardMemoryGrow(loadFixture("rt-grow-big"));
    expect(guarded).toBeDefined();
    expect(WebAssembly.validate(guarded!)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(guarded!), {});
    const exports = instance.exports as Record<string, unknown>;
    const flag = exports[GROW_REFUSED_EXPORT] as WebAssembly.Global;
    const handled = exports.grow_handled as (pages: number) => number;
    expect(flag.value).toBe(0);
    expect(handled(2)).toBe(1);
    expect(flag.value).toBe(0);
    expect(handled(70_000)).toBe(-1); // beyond 4 GiB: refused by any engine
    expect(flag.value).toBe(1);
  });

  it("leaves modules without memory.grow, or with the export name taken, as they are", () => {
    expect(guardMemoryGrow(loadFixture("noop"))).toBeUndefined();
    // A module that already exports the name: built by guarding once.
    const once = guardMemoryGrow(loadFixture("rt-grow-big"))!;
    expect(guardMemoryGrow(once)).toBeUndefined();
  });

  it("turns every fixture that grows memory into a valid module with the same exports plus the flag", () => {
    let guardedCount = 0;
    for (const file of readdirSync(fixtureDir).filter((f) => f.endsWith(".wasm"))) {
      const bytes = loadFixture(file.slice(0, -".wasm".length));
      if (!WebAssembly.validate(bytes)) continue; // fixtures that are invalid on purpose
      const guarded = guardMemoryGrow(bytes);
      if (guarded === undefined) continue;
      guardedCount++;
      expect(WebAssembly.validate(guarded), file).toBe(true);
      const names = (b: Uint8Array) =>
        WebAssembly.Module.exports(new WebAssembly.Module(b)).map((e) => e.name);
      expect(names(guarded), file).toEqual([...names(bytes), GROW_REFUSED_EXPORT]);
    }
    expect(guardedCount).toBeGreaterThanOrEqual(3);
  });
});
