/**
 * Messages the worker-side `log_message` posts to the host. Type-only: shared by the worker module and
 * the host handler, which re-checks every field (it trusts no structured-clone input).
 */
export type GuestLogMessage =
  | {
      readonly type: "record";
      /** Log level, already mapped to 0..4. */
      readonly level: number;
      /** The message, decoded (invalid UTF-8 replaced) and capped. */
      readonly text: string;
      /** UTF-8 bytes the guest passed (before the cap). */
      readonly length: number;
      /** Whether the message was cut at the per-message cap. */
      readonly truncated: boolean;
    }
  | {
      /** Sent once, when the instance's log budget is spent; later messages are dropped in the worker. */
      readonly type: "budget-exhausted";
    };

/** Config of the worker-side `log_message` (structured-cloneable). */
export interface LogWorkerConfig {
  readonly maxMessageBytes: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/** Config of the worker-side `get_timestamp` (structured-cloneable). */
export type TimestampWorkerConfig =
  | { readonly kind: "real_time" }
  | { readonly kind: "deterministic"; readonly timestampMs: number };
