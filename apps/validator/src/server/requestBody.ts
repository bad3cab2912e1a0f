import type { IncomingMessage } from "node:http";
import { ValidatorError, ValidatorErrorCode } from "../errors.js";

/**
 * Bytes of request bodies the service holds at once, across all requests: without it, many concurrent
 * uploads just under the per-request limit could exhaust memory.
 */
export class BodyBudget {
  #used = 0;
  readonly #limit: number;

  /** @param limit - bytes that may be held at once. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /**
   * @param bytes - bytes to reserve.
   * @returns whether they fit (and were reserved).
   */
  tryTake(bytes: number): boolean {
    if (this.#used + bytes > this.#limit) return false;
    this.#used += bytes;
    return true;
  }

  /** @param bytes - bytes to give back. */
  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

/**
 * Reads a request body, refusing more than `limit` bytes: a declared `Content-Length` over the limit is
 * refused before reading, and a chunked body is cut off as soon as it passes the limit.
 *
 * @param request - the incoming request.
 * @param limit - byte limit.
 * @param budget - the service-wide budget. The body's bytes are taken from it as they arrive; on success
 *   the caller gives `body.byteLength` back once it has answered, on failure they are given back here.
 * @returns the body.
 * @throws ValidatorError `REQUEST_TOO_LARGE`, `SERVER_BUSY`, or `BAD_REQUEST` when the client aborts.
 */
export function readBody(request: IncomingMessage, limit: number, budget: BodyBudget): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (error: Error | undefined) => {
      if (done) return;
      done = true;
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("aborted", onAborted);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, total));
      } else {
        budget.release(total);
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      if (total + chunk.byteLength > limit) {
        // Stop buffering; the caller answers 413 and closes the connection.
        request.pause();
        finish(tooLarge(limit));
        return;
      }
      if (!budget.tryTake(chunk.byteLength)) {
        request.pause();
        finish(
          new ValidatorError(
            ValidatorErrorCode.SERVER_BUSY,
            "too many request bodies in flight; retry later",
          ),
        );
        return;
      }
      total += chunk.byteLength;
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (error: Error) =>
      finish(
        new ValidatorError(
          ValidatorErrorCode.BAD_REQUEST,
          `request body could not be read: ${error.message}`,
        ),
      );
    const onAborted = () =>
      finish(new ValidatorError(ValidatorErrorCode.BAD_REQUEST, "request aborted by the client"));
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("aborted", onAborted);
  });
}

function tooLarge(limit: number): ValidatorError {
  return new ValidatorError(
    ValidatorErrorCode.REQUEST_TOO_LARGE,
    `request body is larger than ${limit} bytes`,
  );
}
