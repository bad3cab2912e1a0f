import { randomUUID } from "node:crypto";
import { type Context, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  decodeEvaluationOutput,
  type EvaluationInput,
  type EvaluationOutput,
  encodeEnvelope,
  encodeEvaluationInput,
  type WireResult,
} from "@platform-wasm/wire";
import type { InstanceConfig } from "./config.js";
import { GuestTrapError, RuntimeError, RuntimeErrorCode } from "./errors.js";
import type { CompiledModule } from "./internal/compiled.js";
import { FUEL_GLOBAL } from "./internal/fuelSeam.js";
import type { LinkResult } from "./internal/linker.js";
import type { Command, EventMessage, Reply, WorkerStats } from "./internal/protocol.js";
import type { WorkerHandle } from "./internal/workerHandle.js";
import type { HostFunctionRegistrar, InstanceIdentity } from "./registrar.js";

/** Name of the tracer the runtime uses for instance and host-call spans. */
export const TRACER_NAME = "@platform-wasm/runtime";

function disposedError(): RuntimeError {
  return new RuntimeError(RuntimeErrorCode.INSTANCE_DISPOSED, "the instance was disposed");
}

/** Largest i64: the fuel of a metered instance without a budget. */
const UNLIMITED_FUEL = 0x7fff_ffff_ffff_ffffn;

/** Statistics of one instance. */
export interface InstanceStats {
  /** Size of the guest's linear memory after its last call, in bytes. */
  readonly memoryUsedBytes: number;
  /** Host import calls by `namespace.name` (request, worker-side and `take_result` imports). */
  readonly hostCalls: Readonly<Record<string, number>>;
  /** Wall time since instantiation (frozen at dispose), in ms. */
  readonly wallTimeMs: number;
  /**
   * Worker-side import messages (`post()`) dropped because 10 000 were already in flight to the host: a
   * guest posting in a tight loop cannot grow the host's memory without bound.
   */
  readonly droppedMessages: number;
}

/** A value a numeric export takes or returns (i64 as `bigint`). */
export type WasmValue = number | bigint;

/** @internal What the runtime hands a new instance. */
export interface InstanceParts {
  readonly module: CompiledModule;
  readonly config: InstanceConfig;
  readonly registrars: readonly HostFunctionRegistrar<unknown>[];
  readonly linked: LinkResult;
  readonly worker: WorkerHandle;
  /** Called exactly once when the instance ends; `healthy` = the worker may be reused. */
  readonly release: (worker: WorkerHandle, healthy: boolean) => void;
}

let nextToken = 1;

/**
 * One live guest instance in its own worker, from `WasmRuntime.instantiate` to {@link dispose}.
 * Operations run one at a time, in call order.
 */
export class ChallengeInstance {
  /** Identity handed to registrars. */
  readonly identity: InstanceIdentity;
  private readonly parts: InstanceParts;
  private readonly token = nextToken++;
  private readonly states = new Map<HostFunctionRegistrar<unknown>, unknown>();
  /** Created on first use: most instances never make a host call. */
  private abortController: AbortController | undefined;
  private readonly span: Span;
  private readonly started = performance.now();
  private ended: number | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Set when the instance can no longer run (deadline, worker failure); see also {@link disposed}. */
  private failure: RuntimeError | undefined;
  /** Set by a plain `dispose()`: later calls reject with a fresh `INSTANCE_DISPOSED` error. */
  private disposed = false;
  private busy = false;
  private chain: Promise<unknown> = Promise.resolve();
  private lastStats: WorkerStats | undefined;
  private readonly budget: bigint | undefined;
  /** Parent context of host-call spans (the instance span), built on the first host call. */
  private callContext: Context | undefined;

  /** @internal Created by `WasmRuntime.instantiate`. */
  constructor(parts: InstanceParts) {
    this.parts = parts;
    const { config } = parts;
    this.identity = Object.freeze({
      instanceId: randomUUID(),
      challengeId: config.challengeId,
      validatorId: config.validatorId,
      restartId: config.restartId,
      configVersion: config.configVersion,
    });
    // States first: a throwing createState must leave nothing behind (no span, no timer).
    for (const r of parts.registrars) {
      if (!this.states.has(r)) this.states.set(r, r.createState(this.identity));
    }
    this.span = trace.getTracer(TRACER_NAME).startSpan("wasm.instance", {
      attributes: {
        "wasm.module.hash": parts.module.hash,
        "wasm.instance.id": this.identity.instanceId,
        challenge_id: config.challengeId,
        validator_id: config.validatorId,
        restart_id: config.restartId,
        config_version: config.configVersion,
      },
    });
    this.budget = parts.module.metered
      ? config.fuelLimit === undefined
        ? undefined
        : BigInt(config.fuelLimit)
      : undefined;
    parts.worker.eventSink = (event) => this.onEvent(event);
    this.timer = setTimeout(
      () =>
        this.end(
          new RuntimeError(
            RuntimeErrorCode.DEADLINE_EXCEEDED,
            `deadline of ${config.timeoutMs} ms exceeded (challenge ${config.challengeId})`,
          ),
        ),
      config.timeoutMs,
    );
    // A pending deadline must not keep the process alive by itself; a leased worker does.
    this.timer.unref();
  }

  /**
   * @internal Instantiates the guest in the worker; called once by the runtime. When instantiation cannot
   * run guest code (no start function, no worker-side imports) it is queued without waiting: the worker
   * takes it together with the first operation, and a failure (e.g. a data segment out of bounds) is
   * reported by that operation.
   */
  async start(): Promise<void> {
    const { module, config, linked, worker } = this.parts;
    const { send, evict } = worker.noteModule(module.id);
    const lazy = !module.runsOnInstantiate && linked.workerImports.length === 0;
    const cmd: Command = {
      op: "instantiate",
      token: this.token,
      moduleId: module.id,
      module: send ? module.engineModule : undefined,
      evict,
      plan: linked.plan,
      memoryExport: config.memoryExport,
      capBytes: module.maxMemoryBytes,
      startExport: module.startExport,
      fuelGlobal: module.metered ? FUEL_GLOBAL : undefined,
      fuelBudget: module.metered ? (this.budget ?? UNLIMITED_FUEL) : undefined,
      growFlag: module.growFlag,
      lazy,
    };
    if (lazy) worker.postLazy(cmd);
    else await this.enqueue(cmd);
  }

  /**
   * Runs the guest's `evaluate` on `input` (placed with `alloc`/`allocate`).
   * @returns the decoded output, or `undefined` when the guest returned 0 (no output).
   * @throws RuntimeError `MISSING_EXPORT`, `INVALID_GUEST_OUTPUT`, `GUEST_TRAP`, `DEADLINE_EXCEEDED`, …;
   * `WireEncodeError` when `input` is not a valid EvaluationInput.
   */
  async evaluate(input: EvaluationInput): Promise<EvaluationOutput | undefined> {
    const bytes = (await this.enqueue({ op: "evaluate", input: encodeEvaluationInput(input) })) as
      | Uint8Array
      | undefined;
    if (bytes === undefined) return undefined;
    try {
      return decodeEvaluationOutput(bytes);
    } catch (cause) {
      throw new RuntimeError(
        RuntimeErrorCode.INVALID_GUEST_OUTPUT,
        `evaluate output is not a valid EvaluationOutput: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  /**
   * Runs the guest's `validate` on `input`.
   * @returns true when the guest returned non-zero.
   */
  async validate(input: EvaluationInput): Promise<boolean> {
    return (await this.enqueue({ op: "validate", input: encodeEvaluationInput(input) })) as boolean;
  }

  /** The guest's `get_name()` string, or `undefined` when it does not export one. */
  async getName(): Promise<string | undefined> {
    return (await this.enqueue({ op: "string", name: "get_name" })) as string | undefined;
  }

  /** The guest's `get_version()` string, or `undefined` when it does not export one. */
  async getVersion(): Promise<string | undefined> {
    return (await this.enqueue({ op: "string", name: "get_version" })) as string | undefined;
  }

  /**
   * Calls a numeric export.
   * @param name - the export's name.
   * @param args - i32/f32/f64 as `number`, i64 as `bigint`.
   * @returns the result (`undefined` for none, an array for several).
   * @throws RuntimeError `MISSING_EXPORT` when `name` is not an exported function.
   */
  async callExport(name: string, ...args: WasmValue[]): Promise<WasmValue | WasmValue[] | undefined> {
    return (await this.enqueue({ op: "call", name, args })) as WasmValue | WasmValue[] | undefined;
  }

  /**
   * Copies `len` bytes of guest memory at `ptr`.
   * @throws RuntimeError `INVALID_GUEST_OUTPUT` when the range is outside the memory.
   */
  async readMemory(ptr: number, len: number): Promise<Uint8Array> {
    return (await this.enqueue({ op: "read", ptr, len })) as Uint8Array;
  }

  /**
   * Writes `bytes` into guest memory at `ptr`.
   * @throws RuntimeError `INVALID_GUEST_OUTPUT` when the range is outside the memory.
   */
  async writeMemory(ptr: number, bytes: Uint8Array): Promise<void> {
    await this.enqueue({ op: "write", ptr, bytes });
  }

  /** Memory used, host calls by import and wall time. */
  stats(): InstanceStats {
    const hostCalls: Record<string, number> = {};
    const calls = this.lastStats?.calls;
    this.parts.linked.plan.forEach((e, i) => {
      if (e.kind === "memory") return;
      const key = `${e.module}.${e.name}`;
      hostCalls[key] = (hostCalls[key] ?? 0) + (calls?.[i] ?? 0);
    });
    return {
      memoryUsedBytes: this.lastStats?.memoryBytes ?? 0,
      hostCalls,
      wallTimeMs: (this.ended ?? performance.now()) - this.started,
      droppedMessages: this.lastStats?.droppedMessages ?? 0,
    };
  }

  /**
   * The per-instance state a registrar created for this instance (its counters, budgets).
   * @throws RuntimeError `LINK_FAILED` when `registrar` was not given to `instantiate`.
   */
  stateOf<S>(registrar: HostFunctionRegistrar<S>): S {
    const r = registrar as HostFunctionRegistrar<unknown>;
    if (!this.states.has(r)) {
      throw new RuntimeError(
        RuntimeErrorCode.LINK_FAILED,
        `registrar ${registrar.namespace} is not linked to this instance`,
      );
    }
    return this.states.get(r) as S;
  }

  /** Remaining fuel of a metered instance with a budget; `undefined` when unmetered or unlimited. */
  fuelRemaining(): number | undefined {
    if (this.budget === undefined) return undefined;
    return Number(this.remaining());
  }

  /** Fuel spent so far by a metered instance; `undefined` when unmetered. */
  fuelConsumed(): number | undefined {
    if (!this.parts.module.metered) return undefined;
    return Number((this.budget ?? UNLIMITED_FUEL) - this.remaining());
  }

  private remaining(): bigint {
    const fuel = this.lastStats?.fuel ?? this.budget ?? UNLIMITED_FUEL;
    return fuel < 0n ? 0n : fuel;
  }

  /**
   * Ends the instance and returns its worker to the pool. An operation still running is stopped (its
   * worker terminated) and rejects with `INSTANCE_DISPOSED`. Idempotent.
   */
  async dispose(): Promise<void> {
    // An idle instance needs no error object (its stack capture costs more than the rest of disposal).
    this.end(this.busy ? disposedError() : undefined);
  }

  /** The signal handed to host calls; aborted when the instance ends. */
  private get signal(): AbortSignal {
    this.abortController ??= new AbortController();
    return this.abortController.signal;
  }

  /**
   * @internal Ends the instance (first call wins). `reason` undefined = a plain dispose of an idle
   * instance; otherwise pending and later calls reject with it.
   */
  end(reason: RuntimeError | undefined): void {
    if (this.failure !== undefined || this.disposed) return;
    if (reason === undefined) this.disposed = true;
    else this.failure = reason;
    this.ended = performance.now();
    clearTimeout(this.timer);
    this.abortController?.abort(reason ?? disposedError());
    const { worker } = this.parts;
    // A worker still running guest code cannot be trusted to stop: terminate it. An idle one is reused.
    const healthy = !this.busy && worker.death === undefined;
    if (healthy) worker.postLazy({ op: "dispose" });
    if (reason !== undefined && reason.code !== RuntimeErrorCode.INSTANCE_DISPOSED) {
      this.span.recordException(reason);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: reason.code });
    }
    this.span.end();
    this.parts.release(worker, healthy);
  }

  private checkLive(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.disposed) throw disposedError();
  }

  private enqueue(cmd: Command): Promise<unknown> {
    const run = this.chain.then(
      () => this.exec(cmd),
      () => this.exec(cmd),
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async exec(cmd: Command): Promise<unknown> {
    this.checkLive();
    this.busy = true;
    let reply: Reply | undefined;
    try {
      reply = await this.parts.worker.request(cmd, (id, request) => this.hostCall(id, request));
    } finally {
      this.busy = false;
    }
    if (reply === undefined) {
      this.checkLive();
      const death = this.parts.worker.death;
      const oom = (death?.error as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
      const error = new RuntimeError(
        oom ? RuntimeErrorCode.MEMORY_LIMIT : RuntimeErrorCode.RUNTIME_FAILURE,
        `guest worker ${death?.reason ?? "died"}: ${death?.error instanceof Error ? death.error.message : String(death?.error)}`,
        { cause: death?.error },
      );
      this.end(error);
      throw error;
    }
    if (reply.stats !== undefined) this.lastStats = reply.stats;
    if (reply.ok) return reply.value;
    if (reply.code === "GUEST_TRAP") throw new GuestTrapError(reply.trap ?? reply.message);
    throw new RuntimeError(RuntimeErrorCode[reply.code], reply.message);
  }

  /** Serves a request import on the host thread while the guest blocks. */
  private async hostCall(id: number, request: Uint8Array): Promise<Uint8Array> {
    const linked = this.parts.linked.requests[id];
    if (linked === undefined)
      throw new RuntimeError(RuntimeErrorCode.RUNTIME_FAILURE, `unknown host call id ${id}`);
    const registrar = this.parts.registrars[linked.registrar]!;
    this.callContext ??= trace.setSpan(context.active(), this.span);
    const span = trace.getTracer(TRACER_NAME).startSpan(linked.key, undefined, this.callContext);
    let result: WireResult<unknown, unknown>;
    try {
      result = await linked.import.handle(request, {
        state: this.states.get(registrar),
        instance: this.identity,
        signal: this.signal,
        span,
      });
      return encodeEnvelope(result);
    } catch (cause) {
      span.recordException(cause instanceof Error ? cause : String(cause));
      span.setStatus({ code: SpanStatusCode.ERROR });
      // A throwing handler is a host bug: the guest cannot be answered honestly, so the instance ends.
      const error =
        this.failure ??
        new RuntimeError(
          RuntimeErrorCode.RUNTIME_FAILURE,
          `host function ${linked.key} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      this.busy = true;
      this.end(error);
      throw error;
    } finally {
      span.end();
    }
  }

  private onEvent(event: EventMessage): void {
    if (event.token !== this.token) return;
    const linked = this.parts.linked.workerImports[event.id];
    if (linked?.import.onMessage === undefined) return;
    const registrar = this.parts.registrars[linked.registrar]!;
    try {
      linked.import.onMessage(event.message, {
        state: this.states.get(registrar),
        instance: this.identity,
        signal: this.signal,
      });
    } catch (cause) {
      // A faulty message handler must not take the host down; it is recorded on the instance span.
      this.span.recordException(cause instanceof Error ? cause : String(cause));
    }
  }
}
