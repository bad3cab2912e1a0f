// Pool of worker threads. Workers are reused across instances; a terminated worker is replaced in the
// background so the next instance does not pay the start-up cost.
import { RuntimeError, RuntimeErrorCode } from "../errors.js";
import { WorkerHandle } from "./workerHandle.js";

/** Delay between the first worker running and the rest of the pool starting. */
const WARM_UP_DELAY_MS = 200;

/** How long a worker beyond the pool size may stay idle before it is ended. */
const EXTRA_IDLE_MS = 5_000;

/** Keeps up to `size` idle workers warm and creates more on demand. */
export class WorkerPool {
  private readonly idle: WorkerHandle[] = [];
  private readonly all = new Set<WorkerHandle>();
  private readonly idleSince = new WeakMap<WorkerHandle, number>();
  private trimTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly entry: URL,
    private readonly size: number,
  ) {
    if (size === 0) return;
    // One worker first; the others a little after it runs, so they do not compete with it (and with the
    // first evaluation) for the CPU at cold start. A burst of instances meanwhile starts workers on demand.
    const first = this.spawn();
    this.idle.push(first);
    first.ready.then(
      () => setTimeout(() => this.refill(), WARM_UP_DELAY_MS).unref(),
      () => undefined,
    );
  }

  private spawn(): WorkerHandle {
    const w = new WorkerHandle(this.entry);
    this.all.add(w);
    w.onDeath(() => {
      this.all.delete(w);
      const at = this.idle.indexOf(w);
      if (at >= 0) {
        this.idle.splice(at, 1);
        if (w.online) this.refill();
      }
    });
    return w;
  }

  private refill(): void {
    if (this.closed) return;
    while (this.idle.length < this.size && this.all.size < this.size + 64) this.idle.push(this.spawn());
  }

  /**
   * A worker for one instance. It may still be starting: commands queue on its port and it takes them as
   * soon as it runs (waiting for its `online` event would add a thread hop to every cold start). A worker
   * that dies while starting fails the instance's first operation with `RUNTIME_FAILURE`.
   */
  async acquire(): Promise<WorkerHandle> {
    if (this.closed) throw new RuntimeError(RuntimeErrorCode.INSTANCE_DISPOSED, "the runtime is closed");
    for (;;) {
      const w = this.takeIdle() ?? this.spawn();
      if (w.death !== undefined) continue;
      // Referenced while leased, including while it starts: a leased worker keeps the process alive.
      w.setRef(true);
      return w;
    }
  }

  /** An idle worker, preferring one that is already running (others may still be starting). */
  private takeIdle(): WorkerHandle | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i]!.online) return this.idle.splice(i, 1)[0];
    }
    return this.idle.pop();
  }

  /**
   * Returns a healthy worker after its instance is disposed. Workers beyond the pool size (started when
   * more instances were alive) stay idle for a while, so sustained concurrency does not start and end a
   * thread per instance; {@link trim} ends those still idle later.
   */
  release(w: WorkerHandle): void {
    w.eventSink = undefined;
    w.setRef(false);
    if (w.death !== undefined) return;
    if (this.closed) {
      void w.terminate();
      return;
    }
    this.idleSince.set(w, performance.now());
    this.idle.push(w);
    if (this.idle.length > this.size && this.trimTimer === undefined) {
      this.trimTimer = setTimeout(() => this.trim(), EXTRA_IDLE_MS);
      this.trimTimer.unref();
    }
  }

  /** Ends idle workers beyond the pool size that have been idle for {@link EXTRA_IDLE_MS}. */
  private trim(): void {
    this.trimTimer = undefined;
    const now = performance.now();
    // `idle` is used as a stack (most recent at the end): the front holds the longest idle.
    while (this.idle.length > this.size) {
      const oldest = this.idle[0]!;
      if (now - (this.idleSince.get(oldest) ?? now) < EXTRA_IDLE_MS) break;
      this.idle.shift();
      void oldest.terminate();
    }
    if (this.idle.length > this.size && !this.closed) {
      this.trimTimer = setTimeout(() => this.trim(), EXTRA_IDLE_MS);
      this.trimTimer.unref();
    }
  }

  /** Terminates a worker whose guest misbehaved and starts a replacement off the critical path. */
  discard(w: WorkerHandle): void {
    w.eventSink = undefined;
    void w.terminate();
    if (!this.closed) setImmediate(() => this.refill());
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.trimTimer);
    this.idle.length = 0;
    await Promise.all([...this.all].map((w) => w.terminate()));
  }
}
