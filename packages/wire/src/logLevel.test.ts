import { describe, expect, it } from "vitest";
import { LogLevel, logLevelFromI32, logLevelName } from "./logLevel.js";

describe("LogLevel", () => {
  it("maps 0..4 to Trace..Error and anything else to Info (reference behaviour)", () => {
    expect(logLevelFromI32(0)).toBe(LogLevel.Trace);
    expect(logLevelFromI32(1)).toBe(LogLevel.Debug);
    expect(logLevelFromI32(2)).toBe(LogLevel.Info);
    expect(logLevelFromI32(3)).toBe(LogLevel.Warn);
    expect(logLevelFromI32(4)).toBe(LogLevel.Error);
    for (const v of [99, -1, 5, 2 ** 31 - 1, -(2 ** 31)]) expect(logLevelFromI32(v)).toBe(LogLevel.Info);
  });
  it("names levels in lowercase", () => {
    expect([0, 1, 2, 3, 4].map((l) => logLevelName(logLevelFromI32(l)))).toEqual([
      "trace",
      "debug",
      "info",
      "warn",
      "error",
    ]);
  });
});
