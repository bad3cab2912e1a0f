// Kept-alive connections of one guest instance, so that consecutive requests to the same origin do not each
// pay a TCP (and TLS) handshake. Pinning is unchanged: a pooled client dials only through the pinned
// connector, and the pool key includes the vetted address set, so a request reuses a socket only when its
// own resolution, checked against the policy, produced the same addresses. Nothing is shared between
// instances, and every socket is closed when the instance ends.
import type { Client } from "undici";

/** One client to one origin over one vetted address set. */
export interface PooledClient {
  readonly client: Client;
  /** Address of the socket in use; set by the connector at each (re)connect. */
  peer: string | undefined;
}

/** Clients one instance may keep open at once; the least recently used is closed beyond it. */
export const MAX_POOLED_CLIENTS = 16;

/** The per-instance pool (held by the instance's ledger). */
export class ConnectionPool {
  readonly #clients = new Map<string, PooledClient>();
  #bound = false;
  #closed = false;

  /** Key of a client: the origin and the exact addresses it may dial. */
  static keyOf(origin: string, addresses: readonly string[]): string {
    return `${origin} ${addresses.join(",")}`;
  }

  /** Clients currently held. */
  get size(): number {
    return this.#clients.size;
  }

  /** Closes the pool when `signal` aborts (the instance ended). Only the first call binds. */
  bindTo(signal: AbortSignal): void {
    if (this.#bound) return;
    this.#bound = true;
    if (signal.aborted) this.close();
    else signal.addEventListener("abort", () => this.close(), { once: true });
  }

  /** The pooled client for `key` (now the most recently used), if any. */
  take(key: string): PooledClient | undefined {
    const entry = this.#clients.get(key);
    if (entry !== undefined) {
      this.#clients.delete(key);
      this.#clients.set(key, entry);
    }
    return entry;
  }

  /**
   * Keeps `entry` for later requests. Returns false when the pool is closed (the caller then closes the
   * client after its exchange).
   */
  keep(key: string, entry: PooledClient): boolean {
    if (this.#closed) return false;
    this.#clients.set(key, entry);
    if (this.#clients.size > MAX_POOLED_CLIENTS) {
      const [oldestKey, oldest] = this.#clients.entries().next().value as [string, PooledClient];
      this.#clients.delete(oldestKey);
      oldest.client.close().catch(() => undefined);
    }
    return true;
  }

  /** Forgets `entry` (after a failed exchange) and tears its socket down. */
  discard(key: string, entry: PooledClient): void {
    if (this.#clients.get(key) === entry) this.#clients.delete(key);
    entry.client.destroy().catch(() => undefined);
  }

  /** Tears every socket down; later clients are not kept. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#clients.values()) entry.client.destroy().catch(() => undefined);
    this.#clients.clear();
  }
}
