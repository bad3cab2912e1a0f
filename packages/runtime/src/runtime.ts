import {
  checkMemoryCap,
  type InstanceConfig,
  type RuntimeConfig,
  resolveInstanceConfig,
  resolveRuntimeConfig,
} from "./config.js";
import { RuntimeError, RuntimeErrorCode } from "./errors.js";
import { ChallengeInstance } from "./instance.js";
import { CompiledModule, compileGuest } from "./internal/compiled.js";
import { Gate } from "./internal/gate.js";
import { type LinkResult, link } from "./internal/linker.js";
import { WorkerPool } from "./internal/pool.js";
import { workerEntryUrl } from "./internal/workerEntry.js";
import type { WorkerHandle } from "./internal/workerHandle.js";
import type { CompileOptions, WasmModule } from "./module.js";
import type { HostFunctionRegistrar } from "./registrar.js";

/** Link plans cached per module (registrar sets seen most recently). */
const LINK_CACHE_PER_MODULE = 4;

/**
 * Compiles and runs untrusted WebAssembly guests, each instance in a pooled worker thread, under a
 * memory cap, a wall-clock deadline and (optionally) a fuel budget.
 *
 * @example
 * ```ts
 * const runtime = new WasmRuntime({ maxMemoryBytes: 16 * 1024 * 1024 });
 * const module = await runtime.compileModule(bytes);
 * const instance = await runtime.instantiate(module, { challengeId: "c1", timeoutMs: 5_000 }, []);
 * try {
 *   const output = await instance.evaluate({ agent_data: new Uint8Array(), challenge_id: "c1",
 *     params: new Uint8Array(), task_definition: undefined, environment_config: undefined });
 * } finally {
 *   await instance.dispose();
 * }
 * await runtime.close();
 * ```
 */
export class WasmRuntime {
  /** The effective configuration (defaults applied). */
  readonly config: RuntimeConfig;
  private readonly pool: WorkerPool;
  private readonly gate: Gate;
  private readonly live = new Set<ChallengeInstance>();
  private readonly links = new WeakMap<
    CompiledModule,
    { readonly registrars: readonly HostFunctionRegistrar<unknown>[]; readonly result: LinkResult }[]
  >();
  private closed = false;

  /**
   * Starts the worker pool (in the background).
   * @throws RuntimeError `CONFIG_INVALID` for an out-of-range setting, `RUNTIME_FAILURE` when the
   * package is not built (the worker runs from dist/).
   */
  constructor(config?: Partial<RuntimeConfig>) {
    this.config = resolveRuntimeConfig(config);
    this.pool = new WorkerPool(workerEntryUrl(), this.config.workerPoolSize);
    this.gate = new Gate(this.config.maxInstances, this.config.maxQueued);
  }

  /**
   * Validates and compiles a guest: hashes it, lists imports and exports, caps its memory maximum at
   * `maxMemoryBytes` (so `memory.grow` past it fails in the guest) and meters it when fuel is enabled.
   * @param bytes - the module binary (copied; the caller may reuse the buffer).
   * @param options - per-module memory cap / metering overrides.
   * @throws RuntimeError `MODULE_COMPILE_FAILED`, `MODULE_UNSUPPORTED` (shared, multiple or 64-bit
   * memories), `MEMORY_LIMIT` (initial memory larger than the cap).
   */
  async compileModule(bytes: Uint8Array, options: CompileOptions = {}): Promise<WasmModule> {
    const capBytes = options.maxMemoryBytes ?? this.config.maxMemoryBytes;
    checkMemoryCap("maxMemoryBytes", capBytes);
    return compileGuest(bytes, { capBytes, fuel: options.fuel ?? this.config.fuel.enabled });
  }

  /**
   * Links `module` against `registrars` and instantiates it in a pooled worker. Waits for a slot when
   * `maxInstances` are alive. The instance's deadline starts once it has a worker.
   * @throws RuntimeError `LINK_FAILED` (every missing import listed, duplicate definitions),
   * `OVER_CAPACITY`, `GUEST_TRAP`/`MEMORY_LIMIT`/`DEADLINE_EXCEEDED`/`FUEL_EXHAUSTED` from a start function.
   */
  async instantiate(
    module: WasmModule,
    config: Partial<InstanceConfig>,
    // biome-ignore lint/suspicious/noExplicitAny: each registrar has its own state type; `unknown` would not accept them (State appears in both argument and result positions).
    registrars: readonly HostFunctionRegistrar<any>[],
  ): Promise<ChallengeInstance> {
    if (this.closed) throw new RuntimeError(RuntimeErrorCode.INSTANCE_DISPOSED, "the runtime is closed");
    if (!(module instanceof CompiledModule)) {
      throw new RuntimeError(
        RuntimeErrorCode.MODULE_COMPILE_FAILED,
        "module was not created by WasmRuntime.compileModule",
      );
    }
    const resolved = resolveInstanceConfig(config, this.config);
    const linked = this.linkCached(module, registrars);
    await this.gate.enter();
    let worker: WorkerHandle;
    try {
      worker = await this.pool.acquire();
    } catch (error) {
      this.gate.leave();
      throw error;
    }
    let instance: ChallengeInstance;
    try {
      instance = this.newInstance(module, resolved, registrars, linked, worker);
    } catch (cause) {
      // A registrar's createState threw: nothing ran in the worker, which goes back to the pool.
      this.pool.release(worker);
      this.gate.leave();
      throw new RuntimeError(
        RuntimeErrorCode.RUNTIME_FAILURE,
        `creating registrar state failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    this.live.add(instance);
    try {
      await instance.start();
    } catch (error) {
      await instance.dispose();
      throw error;
    }
    return instance;
  }

  private newInstance(
    module: CompiledModule,
    config: InstanceConfig,
    registrars: readonly HostFunctionRegistrar<unknown>[],
    linked: LinkResult,
    worker: WorkerHandle,
  ): ChallengeInstance {
    const instance: ChallengeInstance = new ChallengeInstance({
      module,
      config,
      registrars,
      linked,
      worker,
      release: (w, healthy) => {
        this.live.delete(instance);
        if (healthy) this.pool.release(w);
        else this.pool.discard(w);
        this.gate.leave();
      },
    });
    return instance;
  }

  /**
   * Links through a small per-module cache keyed by the registrars' identities: evaluations of one module
   * with the same registrar objects reuse the plan.
   */
  private linkCached(
    module: CompiledModule,
    registrars: readonly HostFunctionRegistrar<unknown>[],
  ): LinkResult {
    let entries = this.links.get(module);
    const hit = entries?.find(
      (e) => e.registrars.length === registrars.length && e.registrars.every((r, i) => r === registrars[i]),
    );
    if (hit !== undefined) return hit.result;
    const result = link(module, registrars);
    entries ??= [];
    entries.unshift({ registrars: [...registrars], result });
    if (entries.length > LINK_CACHE_PER_MODULE) entries.pop();
    this.links.set(module, entries);
    return result;
  }

  /** Running instances and callers waiting for a slot. */
  load(): { readonly active: number; readonly queued: number } {
    return this.gate.load;
  }

  /** Disposes every live instance and terminates the workers. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const instance of [...this.live]) {
      instance.end(new RuntimeError(RuntimeErrorCode.INSTANCE_DISPOSED, "the runtime was closed"));
    }
    await this.pool.close();
  }
}
