import { describe, expect, it } from "vitest";
import { isRuntimeError, RuntimeErrorCode } from "../errors.js";
import { Gate } from "./gate.js";

describe("Gate", () => {
  it("admits up to the limit, queues FIFO up to maxQueued, refuses beyond", async () => {
    const gate = new Gate(2, 2);
    await gate.enter();
    await gate.enter();
    const order: number[] = [];
    const a = gate.enter().then(() => order.push(1));
    const b = gate.enter().then(() => order.push(2));
    const refused = await gate.enter().catch((e: unknown) => e);
    expect(isRuntimeError(refused, RuntimeErrorCode.OVER_CAPACITY)).toBe(true);
    expect(gate.load).toEqual({ active: 2, queued: 2 });
    gate.leave();
    gate.leave();
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
    expect(gate.load).toEqual({ active: 2, queued: 0 });
    gate.leave();
    gate.leave();
    expect(gate.load).toEqual({ active: 0, queued: 0 });
  });

  it("with maxQueued 0 refuses as soon as all slots are held", async () => {
    const gate = new Gate(1, 0);
    await gate.enter();
    expect(isRuntimeError(await gate.enter().catch((e: unknown) => e), RuntimeErrorCode.OVER_CAPACITY)).toBe(
      true,
    );
  });
});
