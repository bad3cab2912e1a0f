// The serde `Result` layout shared by every response envelope: a one-key map `{"Ok": v}` / `{"Err": e}`.
import { WireEncodeError } from "../errors.js";
import type { WireResult } from "../types.js";
import { isFields, tagged, type VariantReader } from "./read.js";
import type { EncodeState } from "./write.js";

const NO_UNITS: ReadonlySet<string> = new Set();

/** Builds the reader of an envelope whose payloads are read by `ok` / `err`. Paths start at `Ok` / `Err`. */
export function envelopeReader<T, E>(
  ok: (v: unknown, path: string) => T,
  err: (v: unknown, path: string) => E,
): (value: unknown) => WireResult<T, E> {
  const readers = Object.assign(Object.create(null) as Record<string, VariantReader>, { Ok: ok, Err: err });
  return (value) => tagged(value, "", NO_UNITS, readers, "result envelope") as WireResult<T, E>;
}

/** Prepares `{Ok}` / `{Err}` for packing with the given payload preparers. */
export function prepareEnvelope<T, E>(
  result: WireResult<T, E>,
  ok: (v: T, path: string, state: EncodeState) => unknown,
  err: (e: E, path: string, state: EncodeState) => unknown,
  state: EncodeState,
): unknown {
  if (!isFields(result)) throw new WireEncodeError("", "expected {Ok} or {Err}");
  const hasOk = Object.hasOwn(result, "Ok");
  const hasErr = Object.hasOwn(result, "Err");
  if (hasOk === hasErr) throw new WireEncodeError("", "a result envelope has exactly one of Ok / Err");
  return hasOk
    ? { Ok: ok((result as { Ok: T }).Ok, "Ok", state) }
    : { Err: err((result as { Err: E }).Err, "Err", state) };
}
