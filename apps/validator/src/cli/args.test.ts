import { describe, expect, it } from "vitest";
import { isUsageError } from "../errors.js";
import { DEFAULT_PORT, parseCommandLine, wantsJson } from "./args.js";

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(isUsageError(error)).toBe(true);
    expect((error as { code: string }).code).toBe("USAGE");
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("parseCommandLine", () => {
  it("parses evaluate with every option", () => {
    expect(
      parseCommandLine([
        "evaluate",
        "m.wasm",
        "--input",
        "in.json",
        "--policy",
        "p.yaml",
        "--challenge-id",
        "c1",
        "--timeout-ms",
        "500",
        "--max-memory-mb",
        "16",
        "--fuel",
        "1000",
        "--json",
      ]),
    ).toEqual({
      command: "evaluate",
      module: "m.wasm",
      input: "in.json",
      policy: "p.yaml",
      challengeId: "c1",
      timeoutMs: 500,
      maxMemoryMb: 16,
      fuel: 1000,
      json: true,
    });
  });

  it("parses validate, stdin input and batch inputs", () => {
    expect(parseCommandLine(["validate", "m.wasm", "--input", "-"])).toEqual({
      command: "validate",
      module: "m.wasm",
      input: "-",
      json: false,
    });
    expect(parseCommandLine(["evaluate", "m.wasm", "--inputs", "dir"])).toMatchObject({ inputs: "dir" });
  });

  it("parses inspect and serve with defaults", () => {
    expect(parseCommandLine(["inspect", "m.wasm", "--json"])).toEqual({
      command: "inspect",
      module: "m.wasm",
      json: true,
    });
    expect(parseCommandLine(["serve"])).toEqual({ command: "serve", port: DEFAULT_PORT, moduleDir: "." });
    expect(parseCommandLine(["serve", "--port", "0", "--module-dir", "mods"])).toEqual({
      command: "serve",
      port: 0,
      moduleDir: "mods",
    });
  });

  it("treats no arguments and --help as help", () => {
    expect(parseCommandLine([])).toEqual({ command: "help" });
    expect(parseCommandLine(["--help"])).toEqual({ command: "help" });
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["evaluate"], /missing <module.wasm>/],
    [["evaluate", "a.wasm", "b.wasm"], /unexpected argument "b.wasm"/],
    [["evaluate", "a.wasm", "--bogus"], /bogus/],
    [["evaluate", "a.wasm", "--timeout-ms", "soon"], /--timeout-ms must be a whole number/],
    [["evaluate", "a.wasm", "--timeout-ms", "0"], /--timeout-ms must be between 1/],
    [["evaluate", "a.wasm", "--max-memory-mb", "-5"], /max-memory-mb/],
    [["evaluate", "a.wasm", "--fuel", "1.5"], /--fuel must be a whole number/],
    [["evaluate", "a.wasm", "--input", "x", "--inputs", "d"], /cannot be used together/],
    [["evaluate", "a.wasm", "--challenge-id", ""], /--challenge-id must not be empty/],
    [["serve", "--port", "70000"], /--port must be between 0 and 65535/],
    [["serve", "extra"], /unexpected argument/],
    [["inspect", "a.wasm", "--input", "x"], /input/],
  ])("refuses %j", (argv, message) => {
    expect(usageMessage(argv)).toMatch(message);
  });

  it("detects --json before parsing", () => {
    expect(wantsJson(["evaluate", "--bogus", "--json"])).toBe(true);
    expect(wantsJson(["evaluate"])).toBe(false);
  });
});
