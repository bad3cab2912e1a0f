/**
 * Stable error codes of the validator app itself. Errors raised by the packages (runtime, policy,
 * host-functions, wire) keep their own codes; {@link toErrorBody} passes those through unchanged.
 */
export const ValidatorErrorCode = {
  /** The command line was malformed: unknown command or flag, missing or non-numeric value. */
  USAGE: "USAGE",
  /** The module file does not exist (or is not a regular file). */
  MODULE_NOT_FOUND: "MODULE_NOT_FOUND",
  /** A module name given to the service escapes the module directory or is otherwise not acceptable. */
  MODULE_NAME_INVALID: "MODULE_NAME_INVALID",
  /** The module file is larger than the executor accepts. */
  MODULE_TOO_LARGE: "MODULE_TOO_LARGE",
  /** An input file or directory could not be read. */
  INPUT_READ_FAILED: "INPUT_READ_FAILED",
  /** The input is larger than the configured limit. */
  INPUT_TOO_LARGE: "INPUT_TOO_LARGE",
  /** The guest's `evaluate` export returned 0: it produced no output. */
  NO_OUTPUT: "NO_OUTPUT",
  /** An HTTP request body was not the JSON object the API expects. */
  BAD_REQUEST: "BAD_REQUEST",
  /** An HTTP request body exceeded the size limit. */
  REQUEST_TOO_LARGE: "REQUEST_TOO_LARGE",
  /** No such HTTP route. */
  NOT_FOUND: "NOT_FOUND",
  /** The HTTP route exists but not for this method. */
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  /** The service is holding as many request bodies as its memory budget allows; retry later. */
  SERVER_BUSY: "SERVER_BUSY",
  /** The service is draining after SIGTERM and accepts no new work. */
  SHUTTING_DOWN: "SHUTTING_DOWN",
  /** An unexpected failure (a bug): the message says what happened. */
  INTERNAL: "INTERNAL",
} as const;

/** One of {@link ValidatorErrorCode}. */
export type ValidatorErrorCode = (typeof ValidatorErrorCode)[keyof typeof ValidatorErrorCode];

/** An error raised by the validator app, with a stable {@link ValidatorErrorCode}. */
export class ValidatorError extends Error {
  override readonly name: string = "ValidatorError";
  readonly code: ValidatorErrorCode;

  /**
   * @param code - the stable code.
   * @param message - what went wrong, naming the offending value.
   * @param options - `cause` of the failure, when there is one.
   */
  constructor(code: ValidatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A command-line usage error (exit status 2). */
export class UsageError extends ValidatorError {
  override readonly name: string = "UsageError";

  /** @param message - what was wrong with the arguments. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(ValidatorErrorCode.USAGE, message, options);
  }
}

/**
 * @param value - anything.
 * @returns whether `value` is a {@link ValidatorError}.
 */
export function isValidatorError(value: unknown): value is ValidatorError {
  return value instanceof ValidatorError;
}

/**
 * @param value - anything.
 * @returns whether `value` is a {@link UsageError}.
 */
export function isUsageError(value: unknown): value is UsageError {
  return value instanceof UsageError;
}
