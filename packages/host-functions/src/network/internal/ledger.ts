import { ConnectionPool } from "./connectionPool.js";

/** A cached DNS answer. */
export interface DnsCacheEntry {
  readonly records: readonly string[];
  /** Clock time (ms) after which the entry is stale. */
  readonly expiresAt: number;
}

/** Mutable per-instance counters, cache and connections; reachable only from this package's engine. */
export class Ledger {
  requestsMade = 0;
  dnsLookups = 0;
  readonly dnsCache = new Map<string, DnsCacheEntry>();
  /** Kept-alive HTTP connections; closed when the instance ends (see `runHttpRequest`). */
  readonly connections = new ConnectionPool();

  reset(): void {
    this.requestsMade = 0;
    this.dnsLookups = 0;
    this.dnsCache.clear();
  }
}

const ledgers = new WeakMap<object, Ledger>();

/** Attaches a fresh ledger to `owner` (a `NetworkState`). */
export function attachLedger(owner: object): Ledger {
  const ledger = new Ledger();
  ledgers.set(owner, ledger);
  return ledger;
}

/** The ledger of `owner`, or `undefined` for an object that is not a `NetworkState`. */
export function ledgerOf(owner: object): Ledger | undefined {
  return ledgers.get(owner);
}
