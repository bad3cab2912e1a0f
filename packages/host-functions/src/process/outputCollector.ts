/**
 * Collects one output stream up to a byte cap while it is being read. Memory stays bounded by the cap:
 * bytes past it are counted but never kept, and the chunk that crosses the cap is copied so the rest of
 * its backing buffer can be freed.
 */
export class OutputCollector {
  readonly #cap: number;
  readonly #chunks: Uint8Array[] = [];
  #kept = 0;
  #seen = 0;
  #truncated = false;

  /** @param cap - the most bytes to keep (0 keeps nothing). */
  constructor(cap: number) {
    this.#cap = cap;
  }

  /**
   * Adds a chunk read from the stream.
   * @returns `true` when this chunk pushed the stream past the cap (the first time and every time after).
   */
  push(chunk: Uint8Array): boolean {
    this.#seen += chunk.byteLength;
    if (this.#truncated) {
      return true;
    }
    const room = this.#cap - this.#kept;
    if (chunk.byteLength <= room) {
      this.#chunks.push(chunk);
      this.#kept += chunk.byteLength;
      return false;
    }
    if (room > 0) {
      this.#chunks.push(Uint8Array.prototype.slice.call(chunk, 0, room));
      this.#kept += room;
    }
    this.#truncated = true;
    return true;
  }

  /** Whether bytes past the cap were seen. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Bytes seen on the stream, kept or not. */
  get bytesSeen(): number {
    return this.#seen;
  }

  /** The kept bytes (at most the cap), as one contiguous array. */
  bytes(): Uint8Array {
    if (this.#chunks.length === 1) {
      return this.#chunks[0]!;
    }
    const out = new Uint8Array(this.#kept);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}
