import { ValidatorErrorCode } from "./errors.js";

/** The `error` member of a failed result: a stable code and a message naming what was wrong. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}

// Package error codes are SCREAMING_SNAKE_CASE; Node's system error codes (ENOENT, …) look the same but
// are not ours to expose, so they only pass when they come with a class we know how to describe.
const STABLE_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;
const NODE_SYSTEM_CODE = /^E[A-Z0-9]+$/;

/**
 * Turns anything thrown into the `{code, message}` the CLI and the service print.
 *
 * Typed errors of every workspace package carry a stable `code`; it is passed through unchanged so an
 * operator sees `POLICY_INVALID`, `GUEST_TRAP`, `DEADLINE_EXCEEDED`, … exactly as the package names it.
 * Anything else is reported as `INTERNAL` with its message.
 *
 * @param error - the thrown value.
 * @returns the error body.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && STABLE_CODE.test(code) && !NODE_SYSTEM_CODE.test(code)) {
      return { code, message: error.message };
    }
    return { code: ValidatorErrorCode.INTERNAL, message: error.message || error.name };
  }
  return { code: ValidatorErrorCode.INTERNAL, message: String(error) };
}

// Codes that mean "the caller asked for something wrong" rather than "the guest misbehaved".
const CLIENT_CODES: ReadonlySet<string> = new Set([
  ValidatorErrorCode.USAGE,
  ValidatorErrorCode.BAD_REQUEST,
  ValidatorErrorCode.MODULE_NAME_INVALID,
  ValidatorErrorCode.INPUT_TOO_LARGE,
]);

// Codes that mean "try again later": the runtime is at capacity or the service is draining.
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  ValidatorErrorCode.SHUTTING_DOWN,
  ValidatorErrorCode.SERVER_BUSY,
  "OVER_CAPACITY",
  "QUEUE_FULL",
  "RUNTIME_CLOSED",
]);

/**
 * HTTP status for an error code of the service.
 *
 * @param code - an {@link ErrorBody.code}.
 * @returns 400 for bad requests, 404 for unknown modules/routes, 413 for oversized bodies, 503 when at
 *   capacity or draining, 500 for internal failures, and 422 for everything the module or its policy
 *   caused (trap, deadline, memory limit, bad policy, …).
 */
export function httpStatusFor(code: string): number {
  if (CLIENT_CODES.has(code)) return 400;
  if (code === ValidatorErrorCode.MODULE_NOT_FOUND || code === ValidatorErrorCode.NOT_FOUND) return 404;
  if (code === ValidatorErrorCode.METHOD_NOT_ALLOWED) return 405;
  if (code === ValidatorErrorCode.REQUEST_TOO_LARGE) return 413;
  if (UNAVAILABLE_CODES.has(code)) return 503;
  if (code === ValidatorErrorCode.INTERNAL) return 500;
  return 422;
}

/**
 * Process exit status for a failed CLI command.
 *
 * @param code - an {@link ErrorBody.code}.
 * @returns 2 for usage errors, 1 for everything else.
 */
export function exitStatusFor(code: string): number {
  return code === ValidatorErrorCode.USAGE ? 2 : 1;
}
