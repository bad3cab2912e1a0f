// Hostile and malformed input to the SDK decoder: every case is an error value with a path, never a trap,
// and forward-compatible input (unknown keys, absent optional keys) decodes.
import { encode } from "@msgpack/msgpack";
import { beforeAll, describe, expect, it } from "vitest";
import { CodecHarness, type KindName } from "./support/codecHarness.js";

let harness: CodecHarness;
beforeAll(async () => {
  harness = await CodecHarness.load();
});

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

function expectError(kind: KindName, wire: Uint8Array, fragment: string): void {
  const result = harness.roundtrip(kind, wire);
  if (result.ok) throw new Error(`SDK accepted ${Buffer.from(wire).toString("hex")}`);
  expect(result.error).toContain(fragment);
}

const request = { command: "sh", args: ["-c", "true"], env: {}, stdin: null, working_directory: null };

describe("SDK codec: decoding hostile input", () => {
  it("skips unknown keys of any shape, however deeply nested", () => {
    const deep = new Uint8Array(100_000).fill(0x91); // 100k nested one-element arrays…
    const extra = concat(encode("future_field"), deep, Uint8Array.of(0xc0)); // …ending in nil
    const withExtra = concat(Uint8Array.of(0x86), encode({ ...request }).subarray(1), extra);
    const result = harness.roundtrip("SandboxExecRequest", withExtra);
    expect(result.ok && Buffer.from(result.bytes).equals(Buffer.from(encode(request)))).toBe(true);
    const mixed = {
      ...request,
      z: { a: [1, -1, 1.5, "s", new Uint8Array(3), null, true, { b: 2 ** 40 }], c: "x".repeat(70_000) },
    };
    const again = harness.roundtrip("SandboxExecRequest", encode(mixed));
    expect(again.ok && Buffer.from(again.bytes).equals(Buffer.from(encode(request)))).toBe(true);
  });

  it("treats an absent optional key as nil", () => {
    const { stdin: _s, working_directory: _w, ...required } = request;
    const result = harness.roundtrip("SandboxExecRequest", encode(required));
    expect(result.ok && Buffer.from(result.bytes).equals(Buffer.from(encode(request)))).toBe(true);
  });

  it("reports a missing required field by name", () => {
    const { command: _c, ...rest } = request;
    expectError("SandboxExecRequest", encode(rest), "missing field `command`");
    expectError("EvaluationOutput", encode({ score: 1, valid: true }), "missing field `message`");
  });

  it("reports a wrong type with the field path", () => {
    expectError("SandboxExecRequest", encode({ ...request, command: 5 }), "at `command`: expected string");
    expectError("SandboxExecRequest", encode({ ...request, args: ["a", 1] }), "at `args.1`: expected string");
    expectError("SandboxExecRequest", encode({ ...request, env: { A: 1 } }), "at `env.A`");
    expectError("SandboxExecRequest", encode({ ...request, stdin: "text" }), "at `stdin`: expected bin");
    expectError(
      "EvaluationOutput",
      encode({ score: 1.5, valid: true, message: "" }),
      "at `score`: expected integer",
    );
    expectError(
      "HttpResponse",
      encode({ status: 70_000, headers: {}, body: new Uint8Array() }),
      "out of range",
    );
    expectError(
      "SandboxExecResponse",
      encode({ exit_code: 2 ** 31 }),
      "at `exit_code`: integer out of range",
    );
    expectError("EvaluationInput", encode([1, 2]), "expected map");
  });

  it("rejects duplicate keys, trailing bytes, truncation and invalid UTF-8", () => {
    const duplicate = concat(Uint8Array.of(0x83), encode("url"), encode("a"), encode("url"), encode("b"));
    expectError("HttpGetRequest", duplicate, "duplicate field `url`");
    expectError(
      "DnsRequest",
      concat(encode({ hostname: "h", record_type: "a" }), Uint8Array.of(0xc0)),
      "trailing",
    );
    const full = encode({ hostname: "example.com", record_type: "a" });
    for (let cut = 0; cut < full.length; cut++) {
      expectError("DnsRequest", full.subarray(0, cut), "unexpected end of input");
    }
    const badUtf8 = concat(Uint8Array.of(0x81), encode("records"), Uint8Array.of(0x91, 0xa2, 0xc3, 0x28));
    expectError("DnsResponse", badUtf8, "invalid UTF-8");
    const surrogate = concat(
      Uint8Array.of(0x81),
      encode("records"),
      Uint8Array.of(0x91, 0xa3, 0xed, 0xa0, 0x80),
    );
    expectError("DnsResponse", surrogate, "invalid UTF-8");
  });

  it("rejects lengths larger than the input without allocating them", () => {
    const hugeBin = concat(
      Uint8Array.of(0x81),
      encode("records"),
      Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff),
    );
    expectError("DnsResponse", hugeBin, "unexpected end of input");
    const hugeMap = Uint8Array.of(0xdf, 0x7f, 0xff, 0xff, 0xff);
    expectError("EvaluationInput", hugeMap, "unexpected end of input");
    const hugeStr = concat(Uint8Array.of(0x81), Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xf0));
    expectError("DnsResponse", hugeStr, "unexpected end of input");
    expectError("DnsResponse", Uint8Array.of(0xc1), "expected map");
  });

  it("rejects malformed enums and envelopes", () => {
    expectError("SandboxError", encode("Exploded"), "unknown SandboxError variant `Exploded`");
    expectError("SandboxError", encode("CommandNotAllowed"), "needs data");
    expectError("SandboxError", encode({ Timeout: "soon" }), "at `Timeout`: expected integer");
    expectError("NetworkError", encode({ A: "x", B: "y" }), "exactly one key");
    expectError("SandboxEnvelope", encode({ Ok: null, Err: null }), "exactly one key");
    expectError("SandboxEnvelope", encode({ Maybe: 1 }), "`Ok` or `Err`");
    expectError(
      "HttpRequest",
      encode({ method: "GET", url: "u", headers: {}, body: new Uint8Array() }),
      "unknown HTTP method",
    );
    expectError("DnsRequest", encode({ hostname: "h", record_type: "mx" }), "unknown DNS record type");
  });

  it("never traps on random bytes", () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const data = new Uint8Array(next() % 64).map(() => next() & 0xff);
      const result = harness.roundtrip("EvaluationInput", data);
      expect(typeof result.ok).toBe("boolean");
    }
  });
});

describe("SDK JSON helpers", () => {
  it("reads top-level string and number fields", () => {
    const json =
      ' { "skip": {"answer": "no", "a": [1, {"b": "}"}]}, "answer" : "4\\"2\\u0041", "n": -1.5e2 } ';
    expect(harness.jsonString(json, "answer")).toBe('4"2A');
    expect(harness.jsonNumber(json, "n")).toBe(-150);
    expect(harness.jsonString(json, "missing")).toBeNull();
    expect(harness.jsonString(json, "n")).toBeNull();
    expect(Number.isNaN(harness.jsonNumber(json, "answer"))).toBe(true);
    for (const bad of ["", "[", '{"a"', '{"a":', '{"a":"x', "{,}", "[1]", '{"a":1 "b":2}']) {
      expect(harness.jsonString(bad, "b")).toBeNull();
    }
    expect(harness.jsonString(`{"x": ${"[".repeat(50_000)}`, "y")).toBeNull();
  });
});
