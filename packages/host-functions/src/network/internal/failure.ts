import type { NetworkError } from "@platform-wasm/wire";

/**
 * Internal control flow: a refusal or failure that becomes the guest's `Err` envelope. Thrown inside the
 * engine so deep helpers can stop an exchange; always caught by the import handler.
 */
export class NetworkFailure extends Error {
  override readonly name = "NetworkFailure";
  /** The ABI error handed back to the guest. */
  readonly error: NetworkError;
  /** Whether this refusal is a policy or budget decision (audited as `policy_denied`). */
  readonly denial: boolean;
  /** Why, for the audit log and the span. */
  readonly reason: string;
  constructor(error: NetworkError, options: { denial?: boolean; reason?: string; cause?: unknown } = {}) {
    const reason = options.reason ?? describeNetworkError(error);
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.error = error;
    this.denial = options.denial ?? false;
    this.reason = reason;
  }
}

/** A refusal decided by policy or budget; `reason` defaults to the error's text. */
export function denied(error: NetworkError, reason?: string): NetworkFailure {
  return new NetworkFailure(error, reason === undefined ? { denial: true } : { denial: true, reason });
}

/** Human text for an ABI network error (for audit reasons, spans and exception messages). */
export function describeNetworkError(error: NetworkError): string {
  if (error === "Timeout") return "request timeout";
  if (error === "NetworkDisabled") return "network access disabled";
  const [entry] = Object.entries(error);
  return entry ? `${entry[0]}: ${String(entry[1])}` : "network failure";
}

/**
 * Text of a thrown value for an error message; never throws itself (a hostile or odd value — an object
 * whose `toString` is not a function — must not turn error reporting into a second failure).
 */
export function errorText(value: unknown): string {
  try {
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      return typeof code === "string" && !value.message.includes(code)
        ? `${code}: ${value.message}`
        : value.message;
    }
    return String(value);
  } catch {
    return "unprintable error";
  }
}
