import type { RuntimeConfig } from "@platform-wasm/runtime";
import { UsageError } from "../errors.js";

/** Environment variables that tune the shared runtime of `serve` (and the other commands). */
export const RUNTIME_ENV = {
  /** Guests running at once (`RuntimeConfig.maxInstances`). */
  maxInstances: "VALIDATOR_MAX_INSTANCES",
  /** Requests allowed to wait for a slot; beyond that `OVER_CAPACITY` (503). */
  maxQueued: "VALIDATOR_MAX_QUEUED",
  /** Worker threads kept warm. */
  workerPoolSize: "VALIDATOR_WORKERS",
} as const;

/**
 * Reads runtime settings from the environment (unset variables keep the runtime's defaults).
 * @param env - the environment.
 * @returns a partial runtime configuration.
 * @throws UsageError when a variable is not a whole number.
 */
export function runtimeConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Partial<RuntimeConfig> {
  const config: { -readonly [K in keyof RuntimeConfig]?: RuntimeConfig[K] } = {};
  for (const [key, name] of Object.entries(RUNTIME_ENV) as [keyof typeof RUNTIME_ENV, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    if (!/^\d+$/.test(raw))
      throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
    config[key] = Number(raw);
  }
  return config;
}
