import type { InstanceIdentity } from "@platform-wasm/runtime";

/**
 * Per-instance state of `platform_sandbox`, kept on the host side only (a guest cannot reach it).
 * Read it with `ChallengeInstance.stateOf(registrar)`.
 */
export class SandboxState {
  /** The instance this state belongs to. */
  readonly instance: InstanceIdentity;
  #executionsMade = 0;
  #logRecords = 0;
  #logBytes = 0;
  #logBudgetExhausted = false;

  constructor(instance: InstanceIdentity) {
    this.instance = instance;
  }

  /** Executions started in this instance run (refused requests do not count). */
  get executionsMade(): number {
    return this.#executionsMade;
  }

  /** Guest log records emitted. */
  get logRecords(): number {
    return this.#logRecords;
  }

  /** Guest log message bytes emitted. */
  get logBytes(): number {
    return this.#logBytes;
  }

  /** Whether the guest spent its log budget (later messages were dropped). */
  get logBudgetExhausted(): boolean {
    return this.#logBudgetExhausted;
  }

  /**
   * Counts one execution if fewer than `max` were made.
   * @returns `false` when the budget is spent (nothing counted).
   */
  tryStartExecution(max: number): boolean {
    if (this.#executionsMade >= max) {
      return false;
    }
    this.#executionsMade += 1;
    return true;
  }

  /**
   * Counts one log record of `bytes` if it fits the budget; marks the budget spent otherwise.
   * @returns whether the record may be emitted.
   */
  tryLog(bytes: number, maxRecords: number, maxBytes: number): boolean {
    if (this.#logBudgetExhausted || this.#logRecords >= maxRecords || this.#logBytes + bytes > maxBytes) {
      this.#logBudgetExhausted = true;
      return false;
    }
    this.#logRecords += 1;
    this.#logBytes += bytes;
    return true;
  }

  /** Marks the log budget as spent (reported by the worker). */
  markLogBudgetExhausted(): void {
    this.#logBudgetExhausted = true;
  }

  /** Zeroes every counter and budget, like the reference's `reset_counters`. */
  resetCounters(): void {
    this.#executionsMade = 0;
    this.#logRecords = 0;
    this.#logBytes = 0;
    this.#logBudgetExhausted = false;
  }
}
