// The fast decoding path against the reference path (scan + msgpackr + field readers), which is the
// specification: whenever the fast path accepts bytes, the reference path must accept them too and give
// an identical value. And the fast path must actually take the canonical encodings, or it is dead weight.
import { encode as refEncode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWireDecodeError } from "../errors.js";
import { EVALUATION_DECODERS } from "../evaluationCodec.js";
import { type GoldenKind, goldenVectors } from "../goldenVectors.js";
import { NETWORK_DECODERS } from "../networkCodec.js";
import { decodeSandboxExecRequest, encodeSandboxExecRequest, SANDBOX_DECODERS } from "../sandboxCodec.js";
import type { DecodePaths } from "./decode.js";
import { type FastReader, fastDecode as fastDecodeSource } from "./fastDecode.js";
import { type DecodeOptions, readableSource, unpackUntrusted } from "./unpack.js";

/** The fast path on raw bytes, prepared as decodeWith prepares them. */
function fastDecode<T>(
  bytes: Uint8Array,
  options: DecodeOptions | undefined,
  read: FastReader<T>,
): T | undefined {
  return fastDecodeSource(readableSource(bytes), options, read);
}

const PATHS: Record<GoldenKind, DecodePaths<unknown>> = {
  ...SANDBOX_DECODERS,
  ...NETWORK_DECODERS,
  ...EVALUATION_DECODERS,
};
const ALL = Object.entries(PATHS) as [GoldenKind, DecodePaths<unknown>][];

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function reference(paths: DecodePaths<unknown>, bytes: Uint8Array): Outcome {
  try {
    return { ok: true, value: paths.reference(unpackUntrusted(bytes, undefined), "") };
  } catch (e) {
    if (isWireDecodeError(e)) return { ok: false };
    throw e;
  }
}

/** The fast path's answer, checked against the reference path; returns whether the fast path accepted. */
function agree(paths: DecodePaths<unknown>, bytes: Uint8Array): boolean {
  const fast = fastDecode(bytes, undefined, paths.fast);
  if (fast === undefined) return false;
  const ref = reference(paths, bytes);
  expect(ref.ok, "the fast path accepted bytes the reference path refuses").toBe(true);
  expect(fast).toStrictEqual((ref as { value: unknown }).value);
  return true;
}

/** True when `v` holds an integer outside the 32-bit ranges (rmp writes those as uint64 / int64). */
function hasWideInteger(v: unknown): boolean {
  if (typeof v === "bigint") return true;
  if (typeof v === "number") return v < -0x8000_0000 || v > 0xffff_ffff;
  if (v === null || typeof v !== "object" || v instanceof Uint8Array) return false;
  return Object.values(v).some(hasWideInteger);
}

describe("fast decoding path", () => {
  it.each(goldenVectors.map((v) => [v.name, v] as const))("takes golden vector %s", (_n, vector) => {
    const paths = PATHS[vector.kind];
    const bytes = hex(vector.hex);
    // Integers written in 64 bits are the reference path's; every other golden vector is for the fast path.
    expect(agree(paths, bytes)).toBe(!hasWideInteger(vector.value));
  });

  it("agrees with the reference path on random MessagePack values of every shape", () => {
    const anyValue = fc.anything({ maxDepth: 3, withBigInt: true, withNullPrototype: true, maxKeys: 6 });
    fc.assert(
      fc.property(anyValue, (value) => {
        let bytes: Uint8Array;
        try {
          bytes = refEncode(value, { useBigInt64: true, ignoreUndefined: false });
        } catch {
          return;
        }
        for (const [, paths] of ALL) agree(paths, bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the reference path on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        for (const [, paths] of ALL) agree(paths, bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with the reference path on every single-byte change of every golden vector", () => {
    for (const vector of goldenVectors) {
      const bytes = hex(vector.hex);
      const paths = PATHS[vector.kind];
      for (let at = 0; at < bytes.length; at++) {
        for (const byte of [
          0x00,
          0x7f,
          0x80,
          0xa0,
          0xc0,
          0xc1,
          0xc3,
          0xcc,
          0xd9,
          0xde,
          0xff,
          bytes[at]! ^ 1,
        ]) {
          const changed = bytes.slice();
          changed[at] = byte;
          agree(paths, changed);
        }
        agree(paths, bytes.subarray(0, at)); // every truncation
      }
    }
  });

  it("agrees on strings of every kind: ASCII, multi-byte, BOM, invalid UTF-8, long", () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("\uFEFFbom", "x".repeat(33), "y".repeat(64), "z".repeat(65), "日本語", ""),
    );
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 6 }),
        fc.dictionary(text, text, { maxKeys: 4 }),
        (args, env) => {
          const encoded = refEncode({ command: "c", args, env }, { ignoreUndefined: false });
          agree(SANDBOX_DECODERS.SandboxExecRequest, encoded);
        },
      ),
      { numRuns: 1000 },
    );
    // Invalid UTF-8 in a string value: an overlong "/", a lone surrogate (CESU-8), a truncated sequence.
    for (const bad of ["c0af", "eda080", "e282", "f4908080"]) {
      const bytes = hex(`81 a7 636f6d6d616e64 a${bad.length / 2} ${bad}`);
      expect(fastDecode(bytes, undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)).toBeUndefined();
    }
  });

  it("keeps interned strings apart when they share a cache slot", () => {
    // Same length, same first, middle and last byte: the same slot, different strings.
    const a = "a123b456c";
    const b = "a999b000c";
    for (let i = 0; i < 50; i++) {
      for (const s of [a, b, a, a, b]) {
        const req = { command: s, args: [s], env: { [s]: s }, stdin: undefined, working_directory: s };
        expect(decodeSandboxExecRequest(encodeSandboxExecRequest(req))).toStrictEqual({
          ...req,
          env: expect.anything(),
        });
        expect(Object.entries(decodeSandboxExecRequest(encodeSandboxExecRequest(req)).env)).toEqual([[s, s]]);
      }
    }
  });

  it("declines unusual layouts, which the reference path then decodes or refuses", () => {
    const declined = [
      // an unknown key (a newer guest): the reference path ignores it
      "82 a7636f6d6d616e64 a26c73 a3 787878 01",
      // a repeated key
      "82 a7636f6d6d616e64 a26c73 a7636f6d6d616e64 a26c73",
      // map16 / array16 spellings are read; map32 is not
      "df00000001 a7636f6d6d616e64 a26c73",
    ];
    for (const h of declined) {
      const bytes = hex(h);
      expect(fastDecode(bytes, undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)).toBeUndefined();
    }
    // A repeated env name keeps its last value on both paths.
    const repeated = hex("83 a7636f6d6d616e64 a163 a461726773 90 a3656e76 82 a141 a131 a141 a132");
    expect(agree(SANDBOX_DECODERS.SandboxExecRequest, repeated)).toBe(true);
    expect(decodeSandboxExecRequest(repeated).env).toEqual({ A: "2" });
    // `__proto__` as an env name stays data, through the reference path.
    const proto = refEncode({ command: "c", args: [], env: { ["__proto__"]: "x" } });
    expect(fastDecode(proto, undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)).toBeUndefined();
    const env = decodeSandboxExecRequest(proto).env;
    expect(Object.keys(env)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(env))).toBeNull();
    // A 64-bit exit code spelling and a float are the reference path's to judge.
    const wideExit = refEncode(
      {
        exit_code: 1n,
        stdout: new Uint8Array(0),
        stderr: new Uint8Array(0),
        duration_ms: 0,
        stdout_truncated: false,
        stderr_truncated: false,
        signal: null,
      },
      { useBigInt64: true },
    );
    expect(fastDecode(wideExit, undefined, SANDBOX_DECODERS.SandboxExecResponse.fast)).toBeUndefined();
    expect(reference(SANDBOX_DECODERS.SandboxExecResponse, wideExit)).toMatchObject({ ok: true });
  });

  it("returns views into the input by default, copies with copyBytes, and plain Uint8Arrays for Buffers", () => {
    const stdin = Uint8Array.from([1, 2, 3]);
    const bytes = encodeSandboxExecRequest({
      command: "c",
      args: [],
      env: {},
      stdin,
      working_directory: undefined,
    });
    const view = fastDecode(bytes, undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)!.stdin!;
    expect(view.buffer).toBe(bytes.buffer);
    const copy = fastDecode(bytes, { copyBytes: true }, SANDBOX_DECODERS.SandboxExecRequest.fast)!.stdin!;
    expect(copy.buffer).not.toBe(bytes.buffer);
    expect(copy).toEqual(stdin);
    const fromBuffer = fastDecode(Buffer.from(bytes), undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)!
      .stdin!;
    expect(fromBuffer.constructor).toBe(Uint8Array);
    expect(fromBuffer).toEqual(stdin);
  });

  it("reads shared memory from a private copy", () => {
    const bytes = encodeSandboxExecRequest({
      command: "c",
      args: [],
      env: {},
      stdin: Uint8Array.from([9]),
      working_directory: undefined,
    });
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const decoded = fastDecode(shared, undefined, SANDBOX_DECODERS.SandboxExecRequest.fast)!;
    expect(decoded.stdin!.buffer).not.toBe(shared.buffer);
    shared.fill(0); // a guest scribbling afterwards changes nothing
    expect(decoded.stdin).toEqual(Uint8Array.from([9]));
  });
});
