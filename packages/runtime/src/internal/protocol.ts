// The host ⇄ worker protocol. Shared by the host side (pool, instance) and the worker entry; imports
// nothing so the worker starts fast.
//
// Each worker owns one SharedArrayBuffer: a header of Int32 words plus a data area. Signalling is by
// sequence words (Atomics.notify / Atomics.wait / Atomics.waitAsync), never by a message event:
// - host → worker: a command is posted on the control port, then W_TO_WORKER is incremented; the worker,
//   blocked in Atomics.wait, wakes and takes every queued command with receiveMessageOnPort. An answer to
//   a host call is written to the data area (or posted when larger), then W_ANSWER_SEQ is incremented.
// - worker → host: a reply (posted on the control port) or a host call (request bytes in the data area,
//   or posted when larger) is announced by setting W_KIND and incrementing W_TO_HOST; the host waits with
//   Atomics.waitAsync, so its event loop keeps running.
// Traffic strictly alternates on one worker, so the single data area is never written by both sides at once.

/**
 * Version of this protocol. The host passes it to the worker, which refuses to start on a mismatch: the
 * worker always runs from dist/, the host may run from src/ (tests), and a stale build must fail loudly
 * instead of misreading signals. Bump it with every change to the layout or the messages.
 */
export const PROTOCOL_VERSION = 3;

/** Sequence word the host increments to signal the worker. */
export const W_TO_WORKER = 0;
/** Sequence word the worker increments to signal the host. */
export const W_TO_HOST = 1;
/** Length of the host's answer in the data area; -1 = posted on the control port. */
export const W_ANSWER_LEN = 2;
/** Kind of the worker's signal: {@link KIND_REPLY}, {@link KIND_CALL} (or {@link KIND_DEAD} set by the host). */
export const W_KIND = 3;
/** Length of the worker's call request in the data area; -1 = posted on the control port. */
export const W_CALL_LEN = 4;
/** Request import id of a call. */
export const W_CALL_ID = 5;
/**
 * Sequence word the host increments when an answer to a host call is ready. Separate from the command
 * doorbell: the worker may take a command from the port before it has observed that command's doorbell
 * increment, so a shared word could wake a waiting call with a stale answer.
 */
export const W_ANSWER_SEQ = 6;
/**
 * Worker-side import messages the host has taken off the event port (it increments this per message).
 * With the worker's own count of messages posted, it bounds the messages in flight.
 */
export const W_EVENTS_DELIVERED = 7;
/**
 * Messages a guest may have in flight to the host (posted, not yet delivered). Beyond it `post()` drops
 * the message (counted in the instance's stats): a guest logging in a tight loop must not grow the host's
 * memory without bound.
 */
export const MAX_EVENTS_IN_FLIGHT = 10_000;
/** Number of header words. */
export const HEADER_WORDS = 8;
/** Byte offset of the data area. */
export const DATA_OFFSET = HEADER_WORDS * 4;
/** Default data area size; larger payloads travel on the control port. */
export const DEFAULT_DATA_BYTES = 256 * 1024;

export const KIND_REPLY = 1;
export const KIND_CALL = 2;
/** Set by the host itself when the worker exited, to wake its own pending wait. */
export const KIND_DEAD = 3;

/** What the worker receives as `workerData`. */
export interface WorkerBootData {
  readonly protocol: number;
  readonly sab: SharedArrayBuffer;
  readonly control: import("node:worker_threads").MessagePort;
  readonly events: import("node:worker_threads").MessagePort;
}

/** One import of a module, resolved by the host-side linker, as the worker needs it. */
export type PlanEntry =
  | {
      readonly kind: "request";
      readonly module: string;
      readonly name: string;
      readonly id: number;
      readonly ns: number;
    }
  | { readonly kind: "take"; readonly module: string; readonly name: string; readonly ns: number }
  | {
      readonly kind: "worker";
      readonly module: string;
      readonly name: string;
      readonly id: number;
      readonly moduleUrl: string;
      readonly exportName: string;
      readonly config: unknown;
      readonly arity: number;
    }
  | {
      readonly kind: "memory";
      readonly module: string;
      readonly name: string;
      readonly initial: number;
      readonly maximum: number;
    };

/** Host → worker commands. */
export type Command =
  | {
      readonly op: "instantiate";
      readonly token: number;
      readonly moduleId: number;
      /** Present when this worker has not seen the module yet. */
      readonly module: WebAssembly.Module | undefined;
      /** A module id the worker must forget (the host keeps the same bounded list). */
      readonly evict: number | undefined;
      readonly plan: readonly PlanEntry[];
      readonly memoryExport: string;
      readonly capBytes: number;
      readonly startExport: string | undefined;
      readonly fuelGlobal: string | undefined;
      readonly fuelBudget: bigint | undefined;
      /** Export of the grow guard's flag (see growGuard.ts), when the module has one. */
      readonly growFlag: string | undefined;
      /**
       * No reply on success: a failure is kept and answered to the next command instead. Used when
       * instantiation cannot run guest code (no start function, no worker-side imports to load), so an
       * evaluation costs one thread wake-up.
       */
      readonly lazy: boolean;
    }
  | { readonly op: "evaluate" | "validate"; readonly input: Uint8Array }
  | { readonly op: "call"; readonly name: string; readonly args: readonly (number | bigint)[] }
  | { readonly op: "string"; readonly name: string }
  | { readonly op: "read"; readonly ptr: number; readonly len: number }
  | { readonly op: "write"; readonly ptr: number; readonly bytes: Uint8Array }
  | { readonly op: "dispose" };

/** Counters the worker attaches to every reply. */
export interface WorkerStats {
  readonly memoryBytes: number;
  /** Calls per plan entry index. */
  readonly calls: readonly number[];
  /** Remaining fuel when metered. */
  readonly fuel: bigint | undefined;
  /** Worker-side import messages dropped because too many were in flight. */
  readonly droppedMessages: number;
}

/** Error codes the worker reports (a subset of the runtime's codes). */
export type WorkerErrorCode =
  | "GUEST_TRAP"
  | "MEMORY_LIMIT"
  | "FUEL_EXHAUSTED"
  | "MISSING_EXPORT"
  | "INVALID_GUEST_OUTPUT"
  | "LINK_FAILED"
  | "RUNTIME_FAILURE"
  | "INSTANCE_DISPOSED";

/** Worker → host reply to a command. */
export type Reply =
  | { readonly ok: true; readonly value: unknown; readonly stats: WorkerStats | undefined }
  | {
      readonly ok: false;
      readonly code: WorkerErrorCode;
      readonly message: string;
      readonly trap: string | undefined;
      readonly stats: WorkerStats | undefined;
    };

/** Worker → host message of a worker-side import (`WorkerImportContext.post`). */
export interface EventMessage {
  readonly token: number;
  readonly id: number;
  readonly message: unknown;
}
