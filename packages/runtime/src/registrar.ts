import type { Span } from "@opentelemetry/api";
import type { WireResult } from "@platform-wasm/wire";

/**
 * Identity of one guest instance, as given in its `InstanceConfig`. Handed to every registrar so it can
 * label telemetry and keep per-instance state.
 */
export interface InstanceIdentity {
  /** Unique id the runtime gives this instance. */
  readonly instanceId: string;
  readonly challengeId: string;
  readonly validatorId: string;
  readonly restartId: string;
  readonly configVersion: number;
}

/** Context of one bridged host call, on the host (main) thread. */
export interface HostCall<State> {
  /** The registrar's per-instance state (from {@link HostFunctionRegistrar.createState}). */
  readonly state: State;
  readonly instance: InstanceIdentity;
  /** Aborted when the instance's deadline passes or it is disposed: cancel I/O, kill processes. */
  readonly signal: AbortSignal;
  /** Span of this host call (child of the instance's span); add attributes, never secrets. */
  readonly span: Span;
}

/**
 * A request/response import with the ABI calling convention
 * `fn(req_ptr, req_len, resp_ptr, resp_len) -> i32`. The runtime does everything generic: bounds checks,
 * `-1` for bad memory, encoding the envelope, `-(needed)` plus `take_result`. The handler gets the raw
 * request bytes (it decodes them, answering `Err` on a decode error) and returns the result that the
 * runtime encodes as `{"Ok": …}` / `{"Err": …}`. It runs on the host thread while the guest blocks.
 */
export interface RequestImport<State> {
  readonly kind: "request";
  readonly name: string;
  handle(request: Uint8Array, call: HostCall<State>): Promise<WireResult<unknown, unknown>>;
}

/** WebAssembly value types that worker-side imports may use. */
export type WasmValueType = "i32" | "i64" | "f32" | "f64";

/**
 * An import implemented inside the guest's worker (no round trip): for example `get_timestamp` answering
 * from serializable config, or `log_message` forwarding a message to the host without blocking.
 *
 * The worker loads `moduleUrl` (an ES module, JavaScript: it runs in the worker) and calls its export
 * `exportName`, a {@link WorkerImportFactory}, once per instance with `config` (structured-cloneable).
 */
export interface WorkerImport<State> {
  readonly kind: "worker";
  readonly name: string;
  readonly params: readonly WasmValueType[];
  readonly results: readonly WasmValueType[];
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly config: unknown;
  /**
   * Receives, on the host thread, each message the worker-side function posts with
   * {@link WorkerImportContext.post}. Never blocks the guest; messages arrive in order.
   */
  onMessage?(message: unknown, call: Omit<HostCall<State>, "span">): void;
}

/** A host import declared by a registrar. */
export type HostImport<State> = RequestImport<State> | WorkerImport<State>;

/** What a worker-side import factory receives, in the worker. */
export interface WorkerImportContext {
  /**
   * Copies `len` bytes of guest memory at `ptr`, or returns `undefined` when the range is out of bounds
   * (negative, overflowing or past the end). Never throws.
   */
  readMemory(ptr: number, len: number): Uint8Array | undefined;
  /** Sends a structured-cloneable message to the host side's {@link WorkerImport.onMessage}. Non-blocking. */
  post(message: unknown): void;
}

/**
 * The export a {@link WorkerImport.moduleUrl} module provides: builds the import function for one
 * instance. The returned function receives the wasm arguments (i64 as `bigint`) and returns the result.
 */
export type WorkerImportFactory = (
  config: unknown,
  context: WorkerImportContext,
) => (...args: never[]) => unknown;

/**
 * A set of host functions in one import namespace. Implemented by `@platform-wasm/host-functions`
 * (`platform_sandbox`, `platform_network`); the runtime knows no concrete namespace.
 */
export interface HostFunctionRegistrar<State = unknown> {
  /** Import namespace, e.g. `platform_sandbox`. */
  readonly namespace: string;
  /** The imports this registrar provides. `take_result` is added by the runtime, never declared. */
  readonly imports: readonly HostImport<State>[];
  /** Fresh per-instance state (counters, budgets); lives on the host side only. */
  createState(instance: InstanceIdentity): State;
}
