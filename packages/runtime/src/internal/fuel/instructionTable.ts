/** Flag bits of {@link InstructionTable.flags}. */
export const InstructionFlag = {
  /** The instruction can run (code after an unconditional transfer, up to its block's end, cannot). */
  Live: 1,
  /** A `br_if` to a label without values, other than the function's: its fall-through can be chained. */
  Chainable: 2,
  /** Leaves the function or calls out: the running fuel is stored to the global just before it. */
  SyncBefore: 4,
} as const;

/**
 * The decoded instructions of one function body, as parallel typed arrays rather than one object per
 * instruction: a hostile body of millions of one-byte instructions then costs ~20 bytes each, not an
 * object each. Reused from one function to the next (it only grows).
 */
export class InstructionTable {
  count = 0;
  start = new Int32Array(0);
  end = new Int32Array(0);
  flow = new Uint8Array(0);
  cost = new Int32Array(0);
  dynamic = new Uint8Array(0);
  label = new Int32Array(0);
  flags = new Uint8Array(0);

  /**
   * Empties the table, making room for `capacity` instructions.
   * @param capacity - an upper bound on the instructions to come (a body has at most one per byte).
   */
  reset(capacity: number): void {
    this.count = 0;
    if (this.start.length >= capacity) return;
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.flow = new Uint8Array(capacity);
    this.cost = new Int32Array(capacity);
    this.dynamic = new Uint8Array(capacity);
    this.label = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }
}

/** The straight-line blocks ("lines") of one body: instructions [first, last], entered only at `first`. */
export class LineTable {
  count = 0;
  first = new Int32Array(0);
  last = new Int32Array(0);
  /** Sum of the line's static costs (a float: sums may pass 2^31). */
  cost = new Float64Array(0);

  /**
   * Empties the table, making room for `capacity` lines.
   * @param capacity - an upper bound on the lines to come (at most one per instruction).
   */
  reset(capacity: number): void {
    this.count = 0;
    if (this.first.length >= capacity) return;
    this.first = new Int32Array(capacity);
    this.last = new Int32Array(capacity);
    this.cost = new Float64Array(capacity);
  }
}
