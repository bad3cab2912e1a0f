import { describe, expect, it } from "vitest";
import { ownedCopy, portableBytes, portableCommand } from "./transfer.js";

/** A 5-byte view into a 1 MiB Node Buffer, like an encoder's output after one large message. */
function viewIntoLargeBuffer(): Uint8Array {
  const big = Buffer.alloc(1024 * 1024);
  big.set([1, 2, 3, 4, 5], 4096);
  return big.subarray(4096, 4101);
}

describe("transfer", () => {
  it("copies a view into a buffer of exactly its length (not a Buffer view of the same memory)", () => {
    const view = viewIntoLargeBuffer();
    const copy = ownedCopy(view);
    expect([...copy]).toEqual([1, 2, 3, 4, 5]);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(5);
    copy[0] = 9;
    expect(view[0]).toBe(1);
  });

  it("makes evaluate, validate and write payloads exactly sized and transferable", () => {
    for (const op of ["evaluate", "validate"] as const) {
      const { message, transfer } = portableCommand({ op, input: viewIntoLargeBuffer() });
      expect(message.op).toBe(op);
      const input = (message as { input: Uint8Array }).input;
      expect(input.buffer.byteLength).toBe(5);
      expect(transfer).toEqual([input.buffer]);
    }
    const { message, transfer } = portableCommand({ op: "write", ptr: 7, bytes: viewIntoLargeBuffer() });
    expect(message).toEqual({ op: "write", ptr: 7, bytes: new Uint8Array([1, 2, 3, 4, 5]) });
    expect(transfer).toHaveLength(1);
    expect(portableBytes(viewIntoLargeBuffer()).message.buffer.byteLength).toBe(5);
  });

  it("leaves the caller's bytes usable after posting with the transfer list", () => {
    const view = viewIntoLargeBuffer();
    const { message, transfer } = portableCommand({ op: "evaluate", input: view });
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(message, transfer);
    port1.close();
    port2.close();
    expect(view.length).toBe(5);
    expect([...view]).toEqual([1, 2, 3, 4, 5]);
    expect((message as { input: Uint8Array }).input.byteLength).toBe(0); // the copy moved
  });

  it("passes commands without bytes through unchanged", () => {
    const cmd = { op: "read", ptr: 1, len: 2 } as const;
    expect(portableCommand(cmd)).toEqual({ message: cmd, transfer: [] });
  });
});
