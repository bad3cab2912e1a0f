// undici is loaded on the first HTTP request, not when the network host functions are imported: it is the
// largest module the host pulls in (about 0.1 s of a validator's cold start), and most challenges never
// make an HTTP request.
import type * as Undici from "undici";

let loading: Promise<typeof Undici> | undefined;

/** The undici module, imported once on first use. */
export function loadUndici(): Promise<typeof Undici> {
  loading ??= import("undici");
  return loading;
}
