import { describe, expect, it } from "vitest";
import { checkAbi } from "./abiCheck.js";

const fn = (name: string) => ({ name, kind: "function" });

describe("checkAbi", () => {
  it("accepts a complete guest", () => {
    const report = checkAbi(
      [{ module: "platform_sandbox", name: "log_message", kind: "function" }],
      [{ name: "memory", kind: "memory" }, fn("alloc"), fn("evaluate"), fn("validate"), fn("get_name")],
    );
    expect(report).toEqual({
      compatible: true,
      problems: [],
      features: { validate: true, getName: true, getVersion: false, allocator: "alloc" },
    });
  });

  it("names every problem", () => {
    const report = checkAbi(
      [
        { module: "env", name: "abort", kind: "function" },
        { module: "platform_network", name: "open_socket", kind: "function" },
        { module: "platform_sandbox", name: "sandbox_exec", kind: "global" },
      ],
      [fn("allocate")],
    );
    expect(report.compatible).toBe(false);
    expect(report.features.allocator).toBe("allocate");
    expect(report.problems).toEqual([
      'missing memory export "memory"',
      'missing function export "evaluate"',
      'import env.abort: unknown namespace "env"',
      "import platform_network.open_socket: not a function of platform_network",
      "import platform_sandbox.sandbox_exec: expected a function, found global",
    ]);
  });

  it("checks import signatures when known", () => {
    const report = checkAbi(
      [
        {
          module: "platform_sandbox",
          name: "get_timestamp",
          kind: "function",
          signature: { params: [], results: ["i32"] },
        },
        {
          module: "platform_network",
          name: "http_get",
          kind: "function",
          signature: { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
        },
      ],
      [{ name: "memory", kind: "memory" }, fn("alloc"), fn("evaluate")],
    );
    expect(report.problems).toEqual([
      "import platform_sandbox.get_timestamp: signature () -> (i32), expected () -> (i64)",
    ]);
  });

  it("requires an allocator", () => {
    expect(checkAbi([], [{ name: "memory", kind: "memory" }, fn("evaluate")]).problems).toEqual([
      'missing allocator export ("alloc" or "allocate")',
    ]);
  });
});
