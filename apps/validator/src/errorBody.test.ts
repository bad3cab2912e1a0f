import { describe, expect, it } from "vitest";
import { exitStatusFor, httpStatusFor, toErrorBody } from "./errorBody.js";
import { UsageError, ValidatorError } from "./errors.js";

class PackageError extends Error {
  readonly code = "GUEST_TRAP";
}

describe("toErrorBody", () => {
  it("passes package codes through", () => {
    expect(toErrorBody(new PackageError("guest trapped: unreachable"))).toEqual({
      code: "GUEST_TRAP",
      message: "guest trapped: unreachable",
    });
    expect(toErrorBody(new ValidatorError("MODULE_NOT_FOUND", "module x not found")).code).toBe(
      "MODULE_NOT_FOUND",
    );
  });

  it("hides Node system codes and untyped errors behind INTERNAL", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    expect(toErrorBody(enoent).code).toBe("INTERNAL");
    expect(toErrorBody(new Error("boom"))).toEqual({ code: "INTERNAL", message: "boom" });
    expect(toErrorBody("text")).toEqual({ code: "INTERNAL", message: "text" });
  });
});

describe("status mapping", () => {
  it.each([
    ["BAD_REQUEST", 400],
    ["MODULE_NAME_INVALID", 400],
    ["MODULE_NOT_FOUND", 404],
    ["REQUEST_TOO_LARGE", 413],
    ["OVER_CAPACITY", 503],
    ["SHUTTING_DOWN", 503],
    ["INTERNAL", 500],
    ["GUEST_TRAP", 422],
    ["DEADLINE_EXCEEDED", 422],
    ["POLICY_FILE_INVALID", 422],
  ])("%s → HTTP %i", (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it("exits 2 for usage errors and 1 otherwise", () => {
    expect(exitStatusFor(new UsageError("x").code)).toBe(2);
    expect(exitStatusFor("GUEST_TRAP")).toBe(1);
  });
});
