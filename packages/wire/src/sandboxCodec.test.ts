import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import {
  isWireDecodeError,
  isWireEncodeError,
  type WireDecodeError,
  type WireEncodeError,
} from "./errors.js";
import {
  decodeSandboxError,
  decodeSandboxExecEnvelope,
  decodeSandboxExecRequest,
  decodeSandboxExecResponse,
  encodeSandboxError,
  encodeSandboxExecEnvelope,
  encodeSandboxExecRequest,
  encodeSandboxExecResponse,
} from "./sandboxCodec.js";
import type { SandboxExecRequest, SandboxExecResponse } from "./types.js";

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));

const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function decodeError(fn: () => unknown): WireDecodeError {
  try {
    fn();
  } catch (e) {
    if (isWireDecodeError(e)) return e;
    throw e;
  }
  throw new Error("decoded without error");
}
function encodeError(fn: () => unknown): WireEncodeError {
  try {
    fn();
  } catch (e) {
    if (isWireEncodeError(e)) return e;
    throw e;
  }
  throw new Error("encoded without error");
}

const request: SandboxExecRequest = {
  command: "cat",
  args: ["-n"],
  env: { LANG: "C" },
  stdin: new Uint8Array([1, 2]),
  working_directory: "/tmp",
};
const response: SandboxExecResponse = {
  exit_code: 0,
  stdout: new Uint8Array([104, 105]),
  stderr: new Uint8Array(0),
  duration_ms: 5,
  stdout_truncated: false,
  stderr_truncated: false,
  signal: undefined,
};

describe("SandboxExecRequest decoding", () => {
  it("reads a request written by another encoder", () => {
    const bytes = encode({
      command: "ls",
      args: ["-l", "/"],
      env: { A: "1" },
      stdin: null,
      working_directory: null,
    });
    expect(decodeSandboxExecRequest(bytes)).toEqual({
      command: "ls",
      args: ["-l", "/"],
      env: { A: "1" },
      stdin: undefined,
      working_directory: undefined,
    });
  });

  it("treats absent optional fields as None and ignores unknown keys", () => {
    const bytes = encode({ future_field: { deep: [1, 2, 3] }, command: "ls", args: [], env: {}, extra: 1.5 });
    const req = decodeSandboxExecRequest(bytes);
    expect(req).toEqual({ command: "ls", args: [], env: {}, stdin: undefined, working_directory: undefined });
    expect(Object.keys(req)).toEqual(["command", "args", "env", "stdin", "working_directory"]);
  });

  it("names the bad element of args", () => {
    const e = decodeError(() =>
      decodeSandboxExecRequest(encode({ command: "x", args: ["a", "b", "c", 4], env: {} })),
    );
    expect(e.path).toBe("args[3]");
    expect(e.message).toBe("args[3]: expected string, got integer");
    expect(e.code).toBe("WIRE_DECODE");
  });

  it("reports missing required fields and wrong types with their path", () => {
    expect(decodeError(() => decodeSandboxExecRequest(encode({ args: [], env: {} }))).message).toBe(
      "command: missing required field (expected string)",
    );
    expect(
      decodeError(() => decodeSandboxExecRequest(encode({ command: "x", args: "no", env: {} }))).path,
    ).toBe("args");
    expect(
      decodeError(() => decodeSandboxExecRequest(encode({ command: "x", args: [], env: { A: 1 } }))).message,
    ).toBe("env.A: expected string, got integer");
    expect(
      decodeError(() => decodeSandboxExecRequest(encode({ command: "x", args: [], env: {}, stdin: "text" })))
        .message,
    ).toBe("stdin: expected bin or nil, got string");
    expect(decodeError(() => decodeSandboxExecRequest(encode(["ls", [], {}]))).message).toBe(
      "expected map, got array",
    );
    expect(
      decodeError(() => decodeSandboxExecRequest(encode({ command: null, args: [], env: {} }))).message,
    ).toBe("command: expected string, got nil");
  });

  it("accepts bytes as an array of u8 (rmp-serde's Vec<u8> without serde_bytes) and checks each element", () => {
    const bytes = encode({ command: "x", args: [], env: {}, stdin: [1, 2, 255] });
    expect(decodeSandboxExecRequest(bytes).stdin).toEqual(new Uint8Array([1, 2, 255]));
    const bad = encode({ command: "x", args: [], env: {}, stdin: [1, 256] });
    expect(decodeError(() => decodeSandboxExecRequest(bad)).message).toBe(
      "stdin[1]: expected integer 0..255, got integer",
    );
  });

  it("leaves the input object untouched", () => {
    const bytes = encodeSandboxExecRequest(request);
    decodeSandboxExecRequest(bytes);
    expect(Object.keys(bytes).length).toBe(bytes.length);
    expect(Object.getOwnPropertyNames(bytes).filter((k) => !/^\d+$/.test(k))).toEqual([]);
  });

  it("copies input in shared memory before reading it (no change can slip in, nothing aliases it)", () => {
    const plain = encodeSandboxExecRequest({ ...request, command: "données", env: { K: "ü".repeat(40) } });
    const shared = new Uint8Array(new SharedArrayBuffer(plain.length + 8), 4, plain.length);
    shared.set(plain);
    const req = decodeSandboxExecRequest(shared);
    expect(req).toEqual({ ...request, command: "données", env: { K: "ü".repeat(40) } });
    shared.fill(0);
    expect(req.stdin).toEqual(new Uint8Array([1, 2]));
  });

  it("returns views into the input by default and copies with copyBytes", () => {
    const bytes = encodeSandboxExecRequest(request);
    const view = decodeSandboxExecRequest(bytes).stdin!;
    const copy = decodeSandboxExecRequest(bytes, { copyBytes: true }).stdin!;
    expect(view.buffer).toBe(bytes.buffer);
    expect(copy.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expect(copy).toEqual(new Uint8Array([1, 2]));
  });

  it("keeps __proto__ and constructor as ordinary env keys without touching any prototype", () => {
    // {"command":"x","args":[],"env":{"__proto__":"evil","constructor":"c","toString":"t"}}
    const bytes = hex(
      "83 a7636f6d6d616e64 a178 a461726773 90 a3656e76 83" +
        "a95f5f70726f746f5f5f a46576696c ab636f6e7374727563746f72 a163 a8746f537472696e67 a174",
    );
    const req = decodeSandboxExecRequest(bytes);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(req.env))).toBe(null);
    expect(Object.isFrozen(Object.getPrototypeOf(req.env))).toBe(true);
    expect(Object.keys(req.env)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getOwnPropertyDescriptor(req.env, "__proto__")?.value).toBe("evil");
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("evil");
    // an absent name looks up as undefined, not as an Object.prototype member
    const plain = decodeSandboxExecRequest(encode({ command: "x", args: [], env: { A: "1" } }));
    expect(plain.env.toString).toBeUndefined();
    expect(plain.env.constructor).toBeUndefined();
    expect("hasOwnProperty" in plain.env).toBe(false);
    // and a decoded request encodes again, __proto__ key included
    expect(decodeSandboxExecRequest(encodeSandboxExecRequest(req))).toEqual(req);
    expect(toHex(encodeSandboxExecRequest(req))).toContain("a95f5f70726f746f5f5fa46576696c");
  });

  it("a __proto__ key at the struct level does not supply fields", () => {
    // {"__proto__": {"command": "sneaky"}, "args": [], "env": {}}
    const bytes = hex("83 a95f5f70726f746f5f5f 81 a7636f6d6d616e64 a6736e65616b79 a461726773 90 a3656e76 80");
    expect(decodeError(() => decodeSandboxExecRequest(bytes)).message).toBe(
      "command: missing required field (expected string)",
    );
  });

  it("reports a view of a detached buffer as a WireDecodeError", () => {
    const bytes = encodeSandboxExecRequest(request).slice();
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] }); // detaches bytes.buffer
    expect(decodeError(() => decodeSandboxExecRequest(bytes)).code).toBe("WIRE_DECODE");
  });

  it("rejects what is not one MessagePack value", () => {
    expect(decodeError(() => decodeSandboxExecRequest(new Uint8Array(0))).path).toBe("");
    expect(() => decodeSandboxExecRequest("text" as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });
});

describe("SandboxExecResponse", () => {
  it("round-trips", () => {
    expect(decodeSandboxExecResponse(encodeSandboxExecResponse(response))).toEqual(response);
    const withSignal = { ...response, exit_code: -9, signal: "SIGKILL", stdout_truncated: true };
    expect(decodeSandboxExecResponse(encodeSandboxExecResponse(withSignal))).toEqual(withSignal);
  });

  it("range-checks exit_code as i32 and duration_ms as u64 on decode", () => {
    const base = { exit_code: 0, stdout: new Uint8Array(), stderr: new Uint8Array(), duration_ms: 0 };
    const flags = { stdout_truncated: false, stderr_truncated: false };
    const enc = (o: object) => encode({ ...base, ...o, ...flags }, { useBigInt64: true });
    expect(decodeError(() => decodeSandboxExecResponse(enc({ exit_code: 2 ** 31 }))).message).toBe(
      "exit_code: i32 out of range: 2147483648",
    );
    expect(decodeError(() => decodeSandboxExecResponse(enc({ exit_code: -(2n ** 31n) - 1n }))).path).toBe(
      "exit_code",
    );
    expect(decodeSandboxExecResponse(enc({ exit_code: -(2 ** 31) })).exit_code).toBe(-(2 ** 31));
    expect(decodeError(() => decodeSandboxExecResponse(enc({ exit_code: 1.5 }))).message).toBe(
      "exit_code: expected i32, got float",
    );
    expect(decodeError(() => decodeSandboxExecResponse(enc({ duration_ms: -1 }))).message).toMatch(
      /duration_ms: u64 out of range/,
    );
    expect(decodeSandboxExecResponse(enc({ duration_ms: 2n ** 40n })).duration_ms).toBe(2 ** 40);
    expect(
      decodeError(() => decodeSandboxExecResponse(enc({ duration_ms: 2n ** 64n - 1n }))).message,
    ).toMatch(/exceeds 2\^53-1/);
  });

  it("refuses out-of-range values on encode", () => {
    expect(encodeError(() => encodeSandboxExecResponse({ ...response, exit_code: 2 ** 31 })).path).toBe(
      "exit_code",
    );
    expect(encodeError(() => encodeSandboxExecResponse({ ...response, exit_code: 0.5 })).message).toMatch(
      /exit_code: expected i32/,
    );
    expect(encodeError(() => encodeSandboxExecResponse({ ...response, duration_ms: -1 })).path).toBe(
      "duration_ms",
    );
    expect(
      encodeError(() => encodeSandboxExecResponse({ ...response, stdout: [1, 2] as unknown as Uint8Array }))
        .message,
    ).toBe("stdout: expected Uint8Array, got array");
  });
});

describe("SandboxError", () => {
  it("encodes unit variants as strings and data variants as one-key maps", () => {
    expect(Buffer.from(encodeSandboxError("SandboxDisabled")).toString("hex")).toBe(
      "af53616e64626f7844697361626c6564",
    );
    expect(toHex(encodeSandboxError({ Timeout: 30_000 }))).toBe(toHex(encode({ Timeout: 30_000 })));
    expect(toHex(encodeSandboxError({ CommandNotAllowed: "rm" }))).toBe(
      toHex(encode({ CommandNotAllowed: "rm" })),
    );
  });

  it("decodes every variant and refuses unknown ones", () => {
    expect(decodeSandboxError(encode("SandboxDisabled"))).toBe("SandboxDisabled");
    expect(decodeSandboxError(encode({ SandboxDisabled: null }))).toBe("SandboxDisabled");
    expect(decodeSandboxError(encode({ OutputTooLarge: 10 }))).toEqual({ OutputTooLarge: 10 });
    expect(decodeError(() => decodeSandboxError(encode("Nope"))).message).toBe(
      'unknown variant "Nope" of SandboxError',
    );
    expect(decodeError(() => decodeSandboxError(encode({ Nope: "x" }))).message).toBe(
      'unknown variant "Nope" of SandboxError',
    );
    expect(decodeError(() => decodeSandboxError(encode("Timeout"))).message).toBe(
      "variant Timeout of SandboxError needs data",
    );
    expect(decodeError(() => decodeSandboxError(encode({ Timeout: "soon" }))).message).toBe(
      "Timeout: expected u64, got string",
    );
    expect(decodeError(() => decodeSandboxError(encode({ Timeout: 1, Extra: 2 }))).message).toMatch(
      /one-key map/,
    );
    expect(decodeError(() => decodeSandboxError(encode({ SandboxDisabled: 1 }))).path).toBe(
      "SandboxDisabled",
    );
    expect(decodeError(() => decodeSandboxError(encode({ constructor: "x" }))).message).toMatch(
      /unknown variant/,
    );
  });

  it("refuses non-ABI variants on encode", () => {
    expect(() => encodeSandboxError("Nope" as never)).toThrow(/unknown SandboxError unit variant/);
    expect(() => encodeSandboxError({ Nope: "x" } as never)).toThrow(/unknown SandboxError variant/);
    expect(() => encodeSandboxError({ Timeout: 1, LimitExceeded: "x" } as never)).toThrow(/exactly one key/);
    expect(() => encodeSandboxError({ Timeout: "1" } as never)).toThrow(/Timeout: expected u64/);
  });
});

describe("sandbox_exec envelope", () => {
  it("round-trips Ok and Err with both variant kinds", () => {
    for (const env of [{ Ok: response }, { Err: "SandboxDisabled" as const }, { Err: { Timeout: 5 } }]) {
      expect(decodeSandboxExecEnvelope(encodeSandboxExecEnvelope(env))).toEqual(env);
    }
  });

  it("names paths inside the arms and requires exactly one arm", () => {
    expect(
      decodeError(() => decodeSandboxExecEnvelope(encode({ Ok: { ...response, exit_code: "0" } }))).path,
    ).toBe("Ok.exit_code");
    expect(decodeError(() => decodeSandboxExecEnvelope(encode({ Err: { Timeout: -1 } }))).path).toBe(
      "Err.Timeout",
    );
    expect(decodeError(() => decodeSandboxExecEnvelope(encode({ Ok: null, Err: null }))).message).toMatch(
      /one-key map, got 2 keys/,
    );
    expect(decodeError(() => decodeSandboxExecEnvelope(encode({ Maybe: 1 }))).message).toMatch(
      /unknown variant/,
    );
    expect(decodeError(() => decodeSandboxExecEnvelope(encode("Ok"))).message).toMatch(
      /Ok of result envelope needs data/,
    );
    expect(() => encodeSandboxExecEnvelope({ Ok: response, Err: "SandboxDisabled" } as never)).toThrow(
      /exactly one of Ok \/ Err/,
    );
  });
});

describe("SandboxExecRequest encoding", () => {
  it("writes fields in struct order whatever the object's key order", () => {
    const shuffled = {
      working_directory: undefined,
      env: {},
      stdin: undefined,
      args: [],
      command: "ls",
    } satisfies SandboxExecRequest;
    expect(toHex(encodeSandboxExecRequest(shuffled))).toBe(
      toHex(encode({ command: "ls", args: [], env: {}, stdin: null, working_directory: null })),
    );
  });

  it("refuses wrong shapes with the path", () => {
    expect(encodeError(() => encodeSandboxExecRequest({ ...request, args: ["a", 1 as never] })).path).toBe(
      "args[1]",
    );
    expect(encodeError(() => encodeSandboxExecRequest({ ...request, env: new Map() as never })).path).toBe(
      "env",
    );
    expect(encodeError(() => encodeSandboxExecRequest({ ...request, env: { A: 1 as never } })).path).toBe(
      "env.A",
    );
    expect(
      encodeError(() => encodeSandboxExecRequest({ ...request, command: undefined as never })).path,
    ).toBe("command");
    expect(encodeError(() => encodeSandboxExecRequest(null as never)).code).toBe("WIRE_ENCODE");
  });
});
