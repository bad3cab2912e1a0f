import { describe, expect, it } from "vitest";
import { ModuleCache } from "./moduleCache.js";

function counting() {
  const calls: string[] = [];
  const cache = new ModuleCache<string, { cap: number }>(
    async (bytes, options) => {
      const text = new TextDecoder().decode(bytes);
      calls.push(`${text}@${options.cap}`);
      if (text === "bad") throw new Error("compile failed");
      return `compiled(${text}@${options.cap})`;
    },
    (options) => String(options.cap),
  );
  return { cache, calls };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("ModuleCache", () => {
  it("compiles once per path, content and options", async () => {
    const { cache, calls } = counting();
    expect(await cache.get("/a.wasm", bytes("v1"), { cap: 1 })).toMatchObject({
      cached: false,
      module: "compiled(v1@1)",
    });
    expect(await cache.get("/a.wasm", bytes("v1"), { cap: 1 })).toMatchObject({ cached: true });
    expect(await cache.get("/a.wasm", bytes("v1"), { cap: 2 })).toMatchObject({ cached: false });
    expect(cache.size).toBe(2);
    expect(calls).toEqual(["v1@1", "v1@2"]);
  });

  it("recompiles a changed file and forgets the old bytes", async () => {
    const { cache, calls } = counting();
    await cache.get("/a.wasm", bytes("v1"), { cap: 1 });
    await cache.get("/a.wasm", bytes("v1"), { cap: 2 });
    const changed = await cache.get("/a.wasm", bytes("v2"), { cap: 1 });
    expect(changed).toMatchObject({ cached: false, module: "compiled(v2@1)" });
    expect(cache.size).toBe(1);
    expect(calls).toEqual(["v1@1", "v1@2", "v2@1"]);
  });

  it("shares a compilation between concurrent callers", async () => {
    const { cache, calls } = counting();
    const results = await Promise.all([1, 2, 3].map(() => cache.get("/a.wasm", bytes("v1"), { cap: 1 })));
    expect(new Set(results.map((r) => r.module)).size).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it("does not cache failures", async () => {
    const { cache, calls } = counting();
    await expect(cache.get("/a.wasm", bytes("bad"), { cap: 1 })).rejects.toThrow("compile failed");
    expect(cache.size).toBe(0);
    await expect(cache.get("/a.wasm", bytes("bad"), { cap: 1 })).rejects.toThrow("compile failed");
    expect(calls).toHaveLength(2);
  });

  it("invalidates one path or everything", async () => {
    const { cache } = counting();
    await cache.get("/a.wasm", bytes("v1"), { cap: 1 });
    await cache.get("/b.wasm", bytes("v1"), { cap: 1 });
    expect(cache.invalidate("/a.wasm")).toBe(true);
    expect(cache.invalidate("/a.wasm")).toBe(false);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
