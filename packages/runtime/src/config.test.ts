import { describe, expect, it } from "vitest";
import { DEFAULT_RUNTIME_CONFIG, resolveInstanceConfig, resolveRuntimeConfig } from "./config.js";
import { isRuntimeError, RuntimeErrorCode } from "./errors.js";

describe("config", () => {
  it("fills defaults", () => {
    const runtime = resolveRuntimeConfig(undefined);
    expect(runtime.maxMemoryBytes).toBe(64 * 1024 * 1024);
    expect(runtime.fuel).toEqual({ enabled: false, defaultLimit: undefined });
    expect(resolveInstanceConfig({}, runtime)).toEqual({
      challengeId: "unknown",
      validatorId: "unknown",
      restartId: "0",
      configVersion: 0,
      memoryExport: "memory",
      timeoutMs: DEFAULT_RUNTIME_CONFIG.defaultTimeoutMs,
      fuelLimit: undefined,
    });
  });

  it("takes the fuel default from the runtime unless the instance sets one", () => {
    const runtime = resolveRuntimeConfig({ fuel: { enabled: true, defaultLimit: 10 } });
    expect(resolveInstanceConfig({}, runtime).fuelLimit).toBe(10);
    expect(resolveInstanceConfig({ fuelLimit: 3 }, runtime).fuelLimit).toBe(3);
  });

  it("refuses out-of-range values with CONFIG_INVALID naming the field", () => {
    const bad: [() => unknown, string][] = [
      [() => resolveRuntimeConfig({ maxMemoryBytes: 1000 }), "maxMemoryBytes"],
      [() => resolveRuntimeConfig({ maxMemoryBytes: 2 ** 33 }), "maxMemoryBytes"],
      [() => resolveRuntimeConfig({ maxInstances: 0 }), "maxInstances"],
      [() => resolveRuntimeConfig({ maxQueued: -1 }), "maxQueued"],
      [() => resolveRuntimeConfig({ defaultTimeoutMs: 1.5 }), "defaultTimeoutMs"],
      [() => resolveRuntimeConfig({ fuel: { enabled: true, defaultLimit: -1 } }), "fuel.defaultLimit"],
      [() => resolveInstanceConfig({ timeoutMs: Number.NaN }, resolveRuntimeConfig({})), "timeoutMs"],
      [() => resolveInstanceConfig({ fuelLimit: 0.5 }, resolveRuntimeConfig({})), "fuelLimit"],
    ];
    for (const [fn, field] of bad) {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(isRuntimeError(error, RuntimeErrorCode.CONFIG_INVALID)).toBe(true);
      expect((error as Error).message).toContain(field);
    }
  });
});
