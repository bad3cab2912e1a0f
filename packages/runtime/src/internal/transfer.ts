// Byte payloads that cross the worker bridge by postMessage. Structured clone copies a typed array's
// WHOLE backing ArrayBuffer, not just the bytes of its view. Encoders hand out views into a reused,
// grown buffer (msgpackr does: after one 8 MiB input its buffer is 32 MiB, and a 5-byte input's encoding
// is an 80-byte view into it), so posting such a view cloned 32 MiB on every later call (measured:
// 0.3–1.2 s per evaluation instead of ~1 ms). Every payload is therefore copied into a buffer of exactly
// its size, which is then transferred (moved, not cloned): one copy of the payload's own bytes, never more.
import type { Command } from "./protocol.js";

/** A message ready for `postMessage(message, transfer)`. */
export interface Portable<T> {
  readonly message: T;
  readonly transfer: ArrayBuffer[];
}

/**
 * A copy of `bytes` in a fresh ArrayBuffer of exactly its length, owned by the caller (safe to transfer).
 * Not `bytes.slice()`: on a Node `Buffer` (what msgpackr returns) `slice` is a view of the same memory.
 */
export function ownedCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/** `bytes` as an exactly-sized, transferable copy. */
export function portableBytes(bytes: Uint8Array): Portable<Uint8Array> {
  const copy = ownedCopy(bytes);
  return { message: copy, transfer: [copy.buffer] };
}

/** `cmd` with its byte payload (if any) as an exactly-sized, transferable copy. */
export function portableCommand(cmd: Command): Portable<Command> {
  switch (cmd.op) {
    case "evaluate":
    case "validate": {
      const input = ownedCopy(cmd.input);
      return { message: { op: cmd.op, input }, transfer: [input.buffer] };
    }
    case "write": {
      const bytes = ownedCopy(cmd.bytes);
      return { message: { op: "write", ptr: cmd.ptr, bytes }, transfer: [bytes.buffer] };
    }
    default:
      return { message: cmd, transfer: [] };
  }
}
