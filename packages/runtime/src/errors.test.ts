import { describe, expect, it } from "vitest";
import {
  GuestTrapError,
  isGuestTrapError,
  isLinkError,
  isRuntimeError,
  LinkError,
  RuntimeError,
  RuntimeErrorCode,
} from "./errors.js";

describe("errors", () => {
  it("carry stable codes and pass causes", () => {
    const cause = new Error("inner");
    const e = new RuntimeError(RuntimeErrorCode.DEADLINE_EXCEEDED, "late", { cause });
    expect(e.code).toBe("DEADLINE_EXCEEDED");
    expect(e.cause).toBe(cause);
    expect(isRuntimeError(e)).toBe(true);
    expect(isRuntimeError(e, RuntimeErrorCode.GUEST_TRAP)).toBe(false);
    expect(isRuntimeError(new Error("x"))).toBe(false);
  });

  it("LinkError lists every missing and duplicate import", () => {
    const e = new LinkError(
      [
        { module: "a", name: "b" },
        { module: "c", name: "d" },
      ],
      [{ module: "e", name: "f" }],
    );
    expect(e.code).toBe(RuntimeErrorCode.LINK_FAILED);
    expect(e.message).toBe("link failed: missing imports: a.b, c.d; imports defined twice: e.f");
    expect(isLinkError(e) && isRuntimeError(e)).toBe(true);
  });

  it("GuestTrapError keeps the trap message", () => {
    const e = new GuestTrapError("unreachable");
    expect(e.trap).toBe("unreachable");
    expect(e.code).toBe(RuntimeErrorCode.GUEST_TRAP);
    expect(isGuestTrapError(e)).toBe(true);
  });
});
