import type { AuditPolicy } from "@platform-wasm/policy";
import type { InstanceIdentity } from "@platform-wasm/runtime";
import type { DnsRecordType, HttpMethod } from "@platform-wasm/wire";
import type { NetworkAuditAction, NetworkAuditLogger } from "../audit.js";

/** Writes audit entries for one instance according to the policy's audit section. */
export class Auditor {
  readonly #policy: Readonly<AuditPolicy>;
  readonly #logger: NetworkAuditLogger | undefined;
  readonly #instance: InstanceIdentity;
  readonly #now: () => number;

  constructor(
    policy: Readonly<AuditPolicy>,
    logger: NetworkAuditLogger | undefined,
    instance: InstanceIdentity,
    now: () => number,
  ) {
    this.#policy = policy;
    this.#logger = logger;
    this.#instance = instance;
    this.#now = now;
  }

  #emit(action: NetworkAuditAction): void {
    if (!this.#policy.enabled || this.#logger === undefined) return;
    try {
      this.#logger.record({
        timestamp: this.#now(),
        challengeId: this.#instance.challengeId,
        validatorId: this.#instance.validatorId,
        instanceId: this.#instance.instanceId,
        action,
        metadata: { ...this.#policy.tags },
      });
    } catch {
      // An audit sink failure must not change what the guest gets back.
    }
  }

  request(url: string, method: HttpMethod, headers: Record<string, string>, body: Uint8Array): void {
    this.#emit({
      type: "http_request",
      url,
      method,
      ...(this.#policy.logHeaders ? { headers: { ...headers } } : {}),
      ...(this.#policy.logBodies ? { body: body.slice() } : {}),
    });
  }

  response(url: string, status: number, headers: Record<string, string>, body: Uint8Array): void {
    this.#emit({
      type: "http_response",
      url,
      status,
      bytes: body.byteLength,
      ...(this.#policy.logHeaders ? { headers: { ...headers } } : {}),
      ...(this.#policy.logBodies ? { body: body.slice() } : {}),
    });
  }

  lookup(hostname: string, recordType: DnsRecordType): void {
    this.#emit({ type: "dns_lookup", hostname, recordType });
  }

  denied(reason: string): void {
    this.#emit({ type: "policy_denied", reason });
  }
}
