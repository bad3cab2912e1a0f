import type { InstanceIdentity } from "@platform-wasm/runtime";
import { attachLedger, type Ledger } from "./internal/ledger.js";

/**
 * Per-instance state of `platform_network` (the reference's `NetworkState`): request and lookup counters
 * and the DNS cache. Lives on the host side only; the guest can neither read nor change it. Obtain it with
 * `ChallengeInstance.stateOf(registrar)`.
 */
export class NetworkState {
  /** The instance this state belongs to. */
  readonly instance: InstanceIdentity;
  readonly #ledger: Ledger;

  constructor(instance: InstanceIdentity) {
    this.instance = instance;
    this.#ledger = attachLedger(this);
  }

  /** HTTP requests started by this instance (a redirect chain counts once). */
  get requestsMade(): number {
    return this.#ledger.requestsMade;
  }

  /** `dns_resolve` calls admitted for this instance (cache hits included, as in the reference). */
  get dnsLookups(): number {
    return this.#ledger.dnsLookups;
  }

  /** Number of answers held in the DNS cache. */
  get cachedAnswers(): number {
    return this.#ledger.dnsCache.size;
  }

  /** Zeroes both counters and empties the DNS cache (the reference's `reset_counters`). */
  resetCounters(): void {
    this.#ledger.reset();
  }
}
