// Admission control: at most `limit` holders at once, at most `maxQueued` waiting.
import { RuntimeError, RuntimeErrorCode } from "../errors.js";

/** A counting semaphore with a bounded FIFO queue. */
export class Gate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueued: number,
  ) {}

  /**
   * Takes a slot, waiting in line when all are held.
   * @throws RuntimeError `OVER_CAPACITY` when the queue is full.
   */
  async enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      throw new RuntimeError(
        RuntimeErrorCode.OVER_CAPACITY,
        `over capacity: ${this.active} instances running and ${this.queue.length} waiting (maxQueued ${this.maxQueued})`,
      );
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  /** Releases a slot, handing it straight to the next waiter. */
  leave(): void {
    const next = this.queue.shift();
    if (next !== undefined) next();
    else this.active--;
  }

  /** Instances running and callers waiting. */
  get load(): { readonly active: number; readonly queued: number } {
    return { active: this.active, queued: this.queue.length };
  }
}
