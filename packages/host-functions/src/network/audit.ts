import type { DnsRecordType, HttpMethod } from "@platform-wasm/wire";

/**
 * What happened, as the reference's `NetworkAuditAction` (snake_case `type` names). Header and body
 * fields are present only when the policy's `audit.logHeaders` / `audit.logBodies` say so.
 */
export type NetworkAuditAction =
  | {
      readonly type: "http_request";
      /** The URL of this hop (a redirect hop is audited as its own request). */
      readonly url: string;
      readonly method: HttpMethod;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: Uint8Array;
    }
  | {
      readonly type: "http_response";
      readonly url: string;
      readonly status: number;
      /** Body bytes received. */
      readonly bytes: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: Uint8Array;
    }
  | { readonly type: "dns_lookup"; readonly hostname: string; readonly recordType: DnsRecordType }
  | { readonly type: "policy_denied"; readonly reason: string };

/** One audit record (the reference's `NetworkAuditEntry`). */
export interface NetworkAuditEntry {
  /** Unix time in milliseconds, from the registrar's clock. */
  readonly timestamp: number;
  readonly challengeId: string;
  readonly validatorId: string;
  /** The runtime's id of the instance that made the call. */
  readonly instanceId: string;
  readonly action: NetworkAuditAction;
  /** The policy's `audit.tags`. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Receives audit entries while `audit.enabled` is on. Called synchronously, in order, on the host
 * thread; an implementation that throws is ignored (auditing never changes a guest's result).
 */
export interface NetworkAuditLogger {
  record(entry: NetworkAuditEntry): void;
}
