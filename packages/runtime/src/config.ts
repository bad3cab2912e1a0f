import { availableParallelism } from "node:os";
import { RuntimeError, RuntimeErrorCode } from "./errors.js";

/** Fuel (deterministic instruction metering) settings of a runtime. */
export interface FuelConfig {
  /** Meter every module at compile time. Metered modules stop at the same instruction on every validator. */
  readonly enabled: boolean;
  /** Budget of an instance whose `InstanceConfig.fuelLimit` is undefined; `undefined` = unlimited. */
  readonly defaultLimit: number | undefined;
}

/** Settings of a {@link WasmRuntime}. Every field has a default (see {@link DEFAULT_RUNTIME_CONFIG}). */
export interface RuntimeConfig {
  /** Memory cap of every guest, in bytes (rounded down to whole 64 KiB pages). Default 64 MiB. */
  readonly maxMemoryBytes: number;
  /** Instances alive at once (instantiate → dispose). Further `instantiate` calls wait in a queue. */
  readonly maxInstances: number;
  /** Callers allowed to wait for an instance slot; one more fails with `OVER_CAPACITY`. */
  readonly maxQueued: number;
  /** Wall-clock deadline of an instance when `InstanceConfig.timeoutMs` is not given. */
  readonly defaultTimeoutMs: number;
  /** Worker threads kept warm. More are started (and later ended) when `maxInstances` is larger. */
  readonly workerPoolSize: number;
  /** Deterministic fuel metering. */
  readonly fuel: FuelConfig;
}

/** Settings of one instance. Every field has a default (see {@link resolveInstanceConfig}). */
export interface InstanceConfig {
  /** Challenge this instance evaluates (telemetry label, given to registrars). Default `"unknown"`. */
  readonly challengeId: string;
  /** Validator running it (telemetry label). Default `"unknown"`. */
  readonly validatorId: string;
  /** Restart generation of the validator (telemetry label). Default `"0"`. */
  readonly restartId: string;
  /** Version of the challenge configuration. Default `0`. */
  readonly configVersion: number;
  /** Name of the guest's memory export. Default `"memory"`. */
  readonly memoryExport: string;
  /**
   * Wall-clock deadline, in ms, from the moment the instance gets a worker (inside `instantiate`, after
   * any queueing) until `dispose()`. At expiry the worker is terminated and every pending or later call
   * fails with `DEADLINE_EXCEEDED`. Default `RuntimeConfig.defaultTimeoutMs`.
   */
  readonly timeoutMs: number;
  /** Fuel budget for a metered module; `undefined` = `RuntimeConfig.fuel.defaultLimit`. Ignored when unmetered. */
  readonly fuelLimit: number | undefined;
}

/** Defaults of {@link RuntimeConfig}. */
export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = Object.freeze({
  maxMemoryBytes: 64 * 1024 * 1024,
  maxInstances: 16,
  maxQueued: 1024,
  defaultTimeoutMs: 10_000,
  workerPoolSize: Math.max(1, availableParallelism()),
  fuel: Object.freeze({ enabled: false, defaultLimit: undefined }),
});

/** Largest memory a 32-bit guest can have: 65536 pages of 64 KiB. */
export const MAX_WASM32_MEMORY_BYTES = 65536 * 65536;

/** Merges `config` over the defaults and checks every value (`CONFIG_INVALID` otherwise). */
export function resolveRuntimeConfig(config: Partial<RuntimeConfig> | undefined): RuntimeConfig {
  const merged: RuntimeConfig = {
    ...DEFAULT_RUNTIME_CONFIG,
    ...config,
    fuel: { ...DEFAULT_RUNTIME_CONFIG.fuel, ...config?.fuel },
  };
  positiveInt("maxMemoryBytes", merged.maxMemoryBytes, 65536, MAX_WASM32_MEMORY_BYTES);
  positiveInt("maxInstances", merged.maxInstances, 1);
  positiveInt("maxQueued", merged.maxQueued, 0);
  positiveInt("defaultTimeoutMs", merged.defaultTimeoutMs, 1);
  positiveInt("workerPoolSize", merged.workerPoolSize, 0);
  if (merged.fuel.defaultLimit !== undefined) positiveInt("fuel.defaultLimit", merged.fuel.defaultLimit, 0);
  return merged;
}

/** Merges `config` over the defaults (deadline and fuel from `runtime`) and checks every value. */
export function resolveInstanceConfig(
  config: Partial<InstanceConfig> | undefined,
  runtime: RuntimeConfig,
): InstanceConfig {
  const merged: InstanceConfig = {
    challengeId: "unknown",
    validatorId: "unknown",
    restartId: "0",
    configVersion: 0,
    memoryExport: "memory",
    timeoutMs: runtime.defaultTimeoutMs,
    fuelLimit: runtime.fuel.defaultLimit,
    ...config,
  };
  if (config?.fuelLimit === undefined)
    (merged as { fuelLimit: number | undefined }).fuelLimit = runtime.fuel.defaultLimit;
  positiveInt("timeoutMs", merged.timeoutMs, 1, 2_147_483_647);
  if (merged.fuelLimit !== undefined) positiveInt("fuelLimit", merged.fuelLimit, 0);
  return merged;
}

/**
 * Checks a memory cap in bytes.
 * @throws RuntimeError `CONFIG_INVALID` unless it is an integer in [64 KiB, 4 GiB].
 */
export function checkMemoryCap(name: string, bytes: number): void {
  positiveInt(name, bytes, 65536, MAX_WASM32_MEMORY_BYTES);
}

function positiveInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RuntimeError(
      RuntimeErrorCode.CONFIG_INVALID,
      `${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
}
