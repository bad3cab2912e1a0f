import { describe, expect, it } from "vitest";
import { defaultTimestampMode, timestampFor } from "./timestampMode.js";

describe("TimestampMode", () => {
  it("defaults to real time, which gives a value > 0", () => {
    expect(defaultTimestampMode()).toEqual({ kind: "real_time" });
    expect(timestampFor(defaultTimestampMode())).toBeGreaterThan(0);
  });
  it("deterministic(1_700_000_000_000) gives exactly that value", () => {
    expect(timestampFor({ kind: "deterministic", timestampMs: 1_700_000_000_000 })).toBe(1_700_000_000_000);
  });
  it("real time uses the injected clock", () => {
    expect(timestampFor({ kind: "real_time" }, () => 42)).toBe(42);
  });
});
