// The outcome of a host call: the response, or one of the namespace's error variants. AssemblyScript has
// no catchable exceptions, so failures are values the author inspects (or `unwrap`s to abort loudly).

/** `Ok(value)` or `Err(error)`. `T` and `E` are class types. */
export class Result<T, E> {
  constructor(
    private readonly okValue: T | null,
    private readonly errValue: E | null,
  ) {}

  /** True for `Ok`. */
  get isOk(): bool {
    return this.errValue === null;
  }

  /** True for `Err`. */
  get isErr(): bool {
    return this.errValue !== null;
  }

  /** The `Ok` value; aborts (with the error's text) on `Err`. */
  get value(): T {
    const error = this.errValue;
    if (error !== null) abort("called `value` on an Err result: " + error.toString());
    return changetype<T>(this.okValue);
  }

  /** The error; aborts on `Ok`. */
  get error(): E {
    const error = this.errValue;
    if (error === null) abort("called `error` on an Ok result");
    return changetype<E>(error);
  }

  /** The `Ok` value, or aborts with `message` and the error's text. */
  expect(message: string): T {
    const error = this.errValue;
    if (error !== null) abort(message + ": " + error.toString());
    return changetype<T>(this.okValue);
  }

  /** The `Ok` value or `fallback`. */
  valueOr(fallback: T): T {
    return this.errValue === null ? changetype<T>(this.okValue) : fallback;
  }
}

/** @internal Builds `Ok(value)`. */
export function ok<T, E>(value: T): Result<T, E> {
  return new Result<T, E>(value, null);
}

/** @internal Builds `Err(error)`. */
export function err<T, E>(error: E): Result<T, E> {
  return new Result<T, E>(null, error);
}
