/** The abort reason used when an exchange exceeds the policy's `timeoutMs`. */
export class DeadlineReached extends Error {
  override readonly name = "DeadlineReached";
}

/** A signal that fires at the policy deadline or when the host call is cancelled, whichever is first. */
export interface CallDeadline {
  readonly signal: AbortSignal;
  /** True once the deadline (not the caller) aborted. */
  readonly expired: () => boolean;
  dispose(): void;
}

/** Starts a deadline of `timeoutMs` linked to the host call's `signal`. */
export function startDeadline(timeoutMs: number, callSignal: AbortSignal): CallDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DeadlineReached(`exceeded ${timeoutMs} ms`));
  }, timeoutMs);
  const onCancel = () => controller.abort(callSignal.reason);
  if (callSignal.aborted) onCancel();
  else callSignal.addEventListener("abort", onCancel, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose() {
      clearTimeout(timer);
      callSignal.removeEventListener("abort", onCancel);
    },
  };
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts — so an injected resolver that ignores
 * its signal still cannot hold a call past the deadline.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
