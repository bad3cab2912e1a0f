// Host side of one worker thread: sends commands, serves the worker's host calls, detects its death.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import {
  type Command,
  DATA_OFFSET,
  DEFAULT_DATA_BYTES,
  type EventMessage,
  KIND_CALL,
  KIND_DEAD,
  KIND_REPLY,
  PROTOCOL_VERSION,
  type Reply,
  W_ANSWER_LEN,
  W_ANSWER_SEQ,
  W_CALL_ID,
  W_CALL_LEN,
  W_EVENTS_DELIVERED,
  W_KIND,
  W_TO_HOST,
  W_TO_WORKER,
} from "./protocol.js";
import { portableBytes, portableCommand } from "./transfer.js";

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Longest the host blocks (Atomics.wait) for a worker signal before yielding to the event loop, in ms. */
const BRIEF_WAIT_MS = 0.05;
/** Polling iterations (~10 ns each) before the short block; skipped together with it after a miss. */
const HOST_SPIN_ITERATIONS = 4096;
/** Waits that skip the short block after one timed out. */
const BRIEF_WAIT_SKIP = 8;

/** Compiled modules a worker keeps for reuse. */
const MODULES_PER_WORKER = 16;

/** Serves one host call: returns the envelope bytes to hand back to the guest. */
export type CallHandler = (id: number, request: Uint8Array) => Promise<Uint8Array>;

/** Receives worker-side import messages. */
export type EventSink = (event: EventMessage) => void;

/** Why a worker stopped. */
export interface WorkerDeath {
  readonly reason: "terminated" | "crashed";
  readonly error: Error | undefined;
}

/**
 * One worker thread and its shared-memory channel. Not reentrant: one command at a time (the instance
 * serializes its operations).
 */
export class WorkerHandle {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly control: MessagePort;
  private readonly events: MessagePort;
  private hostSeen = 0;
  /** Resolves the host call in progress early when the worker dies. */
  private callWaiter: ((value: undefined) => void) | undefined;
  private briefWaitSkip = 0;
  /** Set once the worker has exited (or is being terminated). */
  death: WorkerDeath | undefined;
  private readonly deathListeners = new Set<(death: WorkerDeath) => void>();
  /** Module ids this worker holds, oldest first (bounded; see {@link noteModule}). */
  private readonly knownModules = new Set<number>();
  /** True once the worker thread is running (a worker that never starts is not replaced in a loop). */
  online = false;
  /** Current sink of worker-side import messages (the leasing instance). */
  eventSink: EventSink | undefined;

  constructor(entry: URL, options: { readonly dataBytes?: number } = {}) {
    const sab = new SharedArrayBuffer(DATA_OFFSET + (options.dataBytes ?? DEFAULT_DATA_BYTES));
    this.header = new Int32Array(sab, 0, DATA_OFFSET / 4);
    this.data = new Uint8Array(sab, DATA_OFFSET);
    const control = new MessageChannel();
    const events = new MessageChannel();
    this.control = control.port1;
    this.events = events.port1;
    this.events.on("message", (m: EventMessage) => this.deliver(m));
    this.events.unref();
    this.worker = new Worker(entry, {
      workerData: { protocol: PROTOCOL_VERSION, sab, control: control.port2, events: events.port2 },
      transferList: [control.port2, events.port2],
      // The guest's linear memory is an ArrayBuffer and is not counted by these limits (its cap is the
      // module rewrite); they bound the worker's own JavaScript heap.
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      // The worker is plain JavaScript: do not inherit loaders such as `--import tsx` (slow start-up).
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.once("online", () => {
        this.online = true;
        resolve();
      });
      this.onDeath((d) => reject(d.error ?? new Error("worker exited during start-up")));
    });
    // Avoid an unhandled rejection when nobody awaits `ready` before a death.
    this.ready.catch(() => undefined);
    this.worker.on("error", (error) => this.die({ reason: "crashed", error }));
    this.worker.on("exit", (code) =>
      this.die({
        reason: this.death?.reason ?? "crashed",
        error: new Error(`worker exited with code ${code}`),
      }),
    );
  }

  /** Registers a listener called once when the worker dies (immediately if it already has). */
  onDeath(listener: (death: WorkerDeath) => void): () => void {
    if (this.death !== undefined) {
      listener(this.death);
      return () => undefined;
    }
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  private die(death: WorkerDeath): void {
    if (this.death !== undefined) return;
    this.death = death;
    // Wake our own pending Atomics.waitAsync so the operation in flight observes the death.
    Atomics.store(this.header, W_KIND, KIND_DEAD);
    Atomics.add(this.header, W_TO_HOST, 1);
    Atomics.notify(this.header, W_TO_HOST);
    this.callWaiter?.(undefined);
    for (const l of this.deathListeners) l(death);
    this.deathListeners.clear();
    this.events.close();
    this.control.close();
  }

  /** Terminates the worker (works while it runs an infinite loop or waits on Atomics). */
  terminate(): Promise<void> {
    this.die({ reason: "terminated", error: undefined });
    return this.worker.terminate().then(() => undefined);
  }

  /** Keeps the process alive while the worker is leased; idle workers do not. */
  setRef(on: boolean): void {
    if (on) this.worker.ref();
    else this.worker.unref();
  }

  /** Sends a command (the worker processes commands in order). */
  post(cmd: Command): void {
    if (this.death !== undefined) return;
    this.send(cmd);
    Atomics.add(this.header, W_TO_WORKER, 1);
    Atomics.notify(this.header, W_TO_WORKER);
  }

  /**
   * Queues a command with no reply without waking the worker: it is taken with the next command, in order
   * (used for `dispose`, which saves a thread wake-up per instance).
   */
  postLazy(cmd: Command): void {
    if (this.death !== undefined) return;
    this.send(cmd);
  }

  /** Posts a command, its byte payload copied to exactly its size and transferred (see transfer.ts). */
  private send(cmd: Command): void {
    const { message, transfer } = portableCommand(cmd);
    this.control.postMessage(message, transfer);
  }

  /**
   * Sends a command and serves the worker's host calls until its reply.
   * @returns the reply, or `undefined` when the worker died meanwhile (see {@link death}).
   */
  async request(cmd: Command, onCall: CallHandler): Promise<Reply | undefined> {
    this.post(cmd);
    for (;;) {
      if (this.death !== undefined) return undefined;
      if (!this.waitBriefly()) {
        const w = waitAsync(this.header, W_TO_HOST, this.hostSeen);
        if (w.async) await w.value;
      }
      const seq = Atomics.load(this.header, W_TO_HOST);
      if (this.death !== undefined) return undefined;
      // A wake-up is only a hint: the worker increments the word and notifies in two steps, so the notify
      // of the PREVIOUS signal (already consumed by reading the word) can wake this wait. Without this
      // check the previous reply's W_KIND was taken for a new reply that had not been posted yet.
      if (seq === this.hostSeen) continue;
      this.hostSeen = seq;
      const kind = this.header[W_KIND];
      if (kind === KIND_REPLY) {
        const reply = receiveMessageOnPort(this.control)?.message as Reply | undefined;
        this.drainEvents();
        if (reply === undefined) {
          // Cannot happen with matching host and worker builds; never trust such a worker again.
          this.die({
            reason: "crashed",
            error: new Error("worker protocol error: reply signal without a reply"),
          });
          void this.worker.terminate();
        }
        return reply;
      }
      if (kind === KIND_CALL) {
        const len = this.header[W_CALL_LEN]!;
        const id = this.header[W_CALL_ID]!;
        const request =
          len >= 0
            ? this.data.slice(0, len)
            : ((receiveMessageOnPort(this.control)?.message as Uint8Array | undefined) ?? new Uint8Array(0));
        // Settled by the handler, or with undefined when the worker dies (a handler that ignores its
        // AbortSignal must not hold the operation). No Promise.race: it would pile a reaction per call
        // onto one long-lived promise.
        const envelope = await new Promise<Uint8Array | undefined>((resolve, reject) => {
          this.callWaiter = resolve;
          onCall(id, request).then(resolve, reject);
        });
        this.callWaiter = undefined;
        if (envelope === undefined || this.death !== undefined) return undefined;
        this.answer(envelope);
      }
    }
  }

  /**
   * Waits for the worker's signal for a short, bounded time (a brief poll, then Atomics.wait)
   * before falling back to Atomics.waitAsync: a quick guest reply or host call is then seen without a task
   * hop through the event loop. After a miss it is skipped for a few waits, so long-running guests cost
   * the event loop at most one short block.
   * @returns true when a signal arrived.
   */
  private waitBriefly(): boolean {
    if (Atomics.load(this.header, W_TO_HOST) !== this.hostSeen) return true;
    if (this.briefWaitSkip > 0) {
      this.briefWaitSkip--;
      return false;
    }
    // Poll first (bounded, ~40 µs): a futex sleep and wake-up alone costs tens of µs on an idle machine.
    for (let i = 0; i < HOST_SPIN_ITERATIONS; i++) {
      if (Atomics.load(this.header, W_TO_HOST) !== this.hostSeen) return true;
    }
    if (Atomics.wait(this.header, W_TO_HOST, this.hostSeen, BRIEF_WAIT_MS) !== "timed-out") return true;
    this.briefWaitSkip = BRIEF_WAIT_SKIP;
    return false;
  }

  private answer(envelope: Uint8Array): void {
    if (envelope.length <= this.data.length) {
      this.data.set(envelope);
      this.header[W_ANSWER_LEN] = envelope.length;
    } else {
      // The envelope is an encoder's view: post an exactly-sized copy, not its whole backing buffer.
      const { message, transfer } = portableBytes(envelope);
      this.control.postMessage(message, transfer);
      this.header[W_ANSWER_LEN] = -1;
    }
    Atomics.add(this.header, W_ANSWER_SEQ, 1);
    Atomics.notify(this.header, W_ANSWER_SEQ);
  }

  /**
   * Records that `moduleId` is about to be sent (when not yet known).
   * @returns whether the module must be posted and which id the worker must forget to stay bounded.
   */
  noteModule(moduleId: number): { readonly send: boolean; readonly evict: number | undefined } {
    if (this.knownModules.has(moduleId)) return { send: false, evict: undefined };
    this.knownModules.add(moduleId);
    if (this.knownModules.size <= MODULES_PER_WORKER) return { send: true, evict: undefined };
    const oldest = this.knownModules.values().next().value as number;
    this.knownModules.delete(oldest);
    return { send: true, evict: oldest };
  }

  private deliver(event: EventMessage): void {
    Atomics.add(this.header, W_EVENTS_DELIVERED, 1);
    this.eventSink?.(event);
  }

  /** Delivers pending worker-side import messages now, so they precede the reply's effects. */
  drainEvents(): void {
    for (let m = receiveMessageOnPort(this.events); m !== undefined; m = receiveMessageOnPort(this.events)) {
      this.deliver(m.message as EventMessage);
    }
  }
}
