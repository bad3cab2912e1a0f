import { describe, expect, it } from "vitest";
import { isPaddedBase64, parseEvaluateRequest } from "./evaluateRequest.js";

const body = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

describe("parseEvaluateRequest", () => {
  it("decodes module, base64 input and challenge id", () => {
    const parsed = parseEvaluateRequest(
      body({ module: "a.wasm", input: Buffer.from("hi").toString("base64"), challenge_id: "c" }),
    );
    expect(parsed.module).toBe("a.wasm");
    expect(Buffer.from(parsed.input).toString()).toBe("hi");
    expect(parsed.challengeId).toBe("c");
  });

  it("decodes a multi-megabyte input", () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 7);
    const parsed = parseEvaluateRequest(body({ module: "a.wasm", input: big.toString("base64") }));
    expect(parsed.input.byteLength).toBe(big.byteLength);
  });

  it("checks base64 padding and alphabet", () => {
    expect(isPaddedBase64("")).toBe(true);
    expect(isPaddedBase64("aGk=")).toBe(true);
    expect(isPaddedBase64("aA==")).toBe(true);
    expect(isPaddedBase64("aGk")).toBe(false);
    expect(isPaddedBase64("a===")).toBe(false);
    expect(isPaddedBase64("aG=k")).toBe(false);
    expect(isPaddedBase64("aGk_")).toBe(false);
  });

  it("ignores unknown keys and accepts empty input", () => {
    expect(parseEvaluateRequest(body({ module: "a.wasm", input: "", extra: 1 })).input.byteLength).toBe(0);
  });

  it.each([
    ["not json", /not valid JSON/],
    [[], /JSON object/],
    [{ input: "" }, /"module" must be a string/],
    [{ module: "a.wasm" }, /"input" must be a base64 string/],
    [{ module: "a.wasm", input: "aGk" }, /not valid base64/],
    [{ module: "a.wasm", input: "a$b=" }, /not valid base64/],
    [{ module: "a.wasm", input: "", challenge_id: 5 }, /challenge_id/],
    [{ module: "a.wasm", input: "", challenge_id: "x".repeat(300) }, /challenge_id/],
  ])("refuses %j with BAD_REQUEST", (value, message) => {
    expect(() => parseEvaluateRequest(body(value))).toThrow(message);
    try {
      parseEvaluateRequest(body(value));
    } catch (error) {
      expect((error as { code: string }).code).toBe("BAD_REQUEST");
    }
  });
});
