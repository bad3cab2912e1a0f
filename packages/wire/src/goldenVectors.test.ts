// Golden vectors: our encoders and decoders against the literal bytes in goldenVectors.ts, and the
// literal bytes against an independent MessagePack implementation (@msgpack/msgpack, which writes
// integers, strings and binaries in the smallest format exactly as rmp does).
import { decode as refDecode, encode as refEncode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { encodeMessage } from "./codec.js";
import {
  decodeEvaluationInput,
  decodeEvaluationOutput,
  encodeEvaluationInput,
  encodeEvaluationOutput,
} from "./evaluationCodec.js";
import { type GoldenKind, type GoldenKinds, type GoldenVector, goldenVectors } from "./goldenVectors.js";
import {
  decodeDnsEnvelope,
  decodeDnsRequest,
  decodeDnsResponse,
  decodeHttpEnvelope,
  decodeHttpGetRequest,
  decodeHttpPostRequest,
  decodeHttpRequest,
  decodeHttpResponse,
  decodeNetworkError,
  encodeDnsEnvelope,
  encodeDnsRequest,
  encodeDnsResponse,
  encodeHttpEnvelope,
  encodeHttpGetRequest,
  encodeHttpPostRequest,
  encodeHttpRequest,
  encodeHttpResponse,
  encodeNetworkError,
} from "./networkCodec.js";
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

type Codec<K extends GoldenKind> = {
  encode: (v: GoldenKinds[K]) => Uint8Array;
  decode: (b: Uint8Array) => GoldenKinds[K];
};
const codecs: { [K in GoldenKind]: Codec<K> } = {
  SandboxExecRequest: { encode: encodeSandboxExecRequest, decode: decodeSandboxExecRequest },
  SandboxExecResponse: { encode: encodeSandboxExecResponse, decode: decodeSandboxExecResponse },
  SandboxError: { encode: encodeSandboxError, decode: decodeSandboxError },
  HttpRequest: { encode: encodeHttpRequest, decode: decodeHttpRequest },
  HttpGetRequest: { encode: encodeHttpGetRequest, decode: decodeHttpGetRequest },
  HttpPostRequest: { encode: encodeHttpPostRequest, decode: decodeHttpPostRequest },
  HttpResponse: { encode: encodeHttpResponse, decode: decodeHttpResponse },
  DnsRequest: { encode: encodeDnsRequest, decode: decodeDnsRequest },
  DnsResponse: { encode: encodeDnsResponse, decode: decodeDnsResponse },
  NetworkError: { encode: encodeNetworkError, decode: decodeNetworkError },
  EvaluationInput: { encode: encodeEvaluationInput, decode: decodeEvaluationInput },
  EvaluationOutput: { encode: encodeEvaluationOutput, decode: decodeEvaluationOutput },
  SandboxEnvelope: { encode: encodeSandboxExecEnvelope, decode: decodeSandboxExecEnvelope },
  HttpEnvelope: { encode: encodeHttpEnvelope, decode: decodeHttpEnvelope },
  DnsEnvelope: { encode: encodeDnsEnvelope, decode: decodeDnsEnvelope },
};

// Struct field order from DESIGN.md (the Rust struct order rmp-serde writes).
const FIELDS: Record<string, readonly string[]> = {
  SandboxExecRequest: ["command", "args", "env", "stdin", "working_directory"],
  SandboxExecResponse: [
    "exit_code",
    "stdout",
    "stderr",
    "duration_ms",
    "stdout_truncated",
    "stderr_truncated",
    "signal",
  ],
  HttpRequest: ["method", "url", "headers", "body"],
  HttpGetRequest: ["url", "headers"],
  HttpPostRequest: ["url", "headers", "body"],
  HttpResponse: ["status", "headers", "body"],
  DnsRequest: ["hostname", "record_type"],
  DnsResponse: ["records"],
  EvaluationInput: ["agent_data", "challenge_id", "params", "task_definition", "environment_config"],
  EvaluationOutput: ["score", "valid", "message", "metrics"],
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));

/**
 * The value as a plain structure for the reference encoder: None → null, and integers outside the 32-bit
 * ranges as bigints — @msgpack/msgpack writes a negative *number* below -2^31 as float64, while rmp (and it,
 * for bigints) writes int64.
 */
function plain(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v) && (v < -0x8000_0000 || v > 0xffff_ffff)) return BigInt(v);
  if (v instanceof Uint8Array || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

function encodeWith<K extends GoldenKind>(v: Extract<GoldenVector, { kind: K }>): Uint8Array {
  return (codecs[v.kind] as Codec<K>).encode(v.value as GoldenKinds[K]);
}
function decodeWith(v: GoldenVector, bytes: Uint8Array): unknown {
  return (codecs[v.kind] as Codec<GoldenKind>).decode(bytes);
}

describe("golden vectors", () => {
  it("cover every message kind, both envelope arms, unit and data variants", () => {
    const kinds = new Set(goldenVectors.map((v) => v.kind));
    expect([...kinds].sort()).toEqual(Object.keys(codecs).sort());
    for (const kind of ["SandboxEnvelope", "HttpEnvelope", "DnsEnvelope"] as const) {
      const arms = goldenVectors.filter((v) => v.kind === kind).map((v) => Object.keys(v.value as object)[0]);
      expect(new Set(arms)).toEqual(new Set(["Ok", "Err"]));
    }
    for (const kind of ["SandboxError", "NetworkError"] as const) {
      const values = goldenVectors.filter((v) => v.kind === kind).map((v) => v.value);
      expect(values.some((x) => typeof x === "string")).toBe(true);
      expect(values.some((x) => typeof x === "object")).toBe(true);
    }
    expect(new Set(goldenVectors.map((v) => v.name)).size).toBe(goldenVectors.length);
  });

  it("list struct fields in Rust struct order", () => {
    for (const v of goldenVectors) {
      const fields = FIELDS[v.kind];
      if (fields) expect(Object.keys(v.value as object), v.name).toEqual(fields);
    }
  });

  describe.each(goldenVectors.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    it("the literal bytes are what an independent MessagePack encoder writes", () => {
      expect(hex(refEncode(plain(vector.value), { useBigInt64: true }))).toBe(vector.hex);
    });
    it("the typed encoder writes exactly the literal bytes", () => {
      expect(hex(encodeWith(vector))).toBe(vector.hex);
    });
    it("the generic encodeMessage writes the same bytes", () => {
      expect(hex(encodeMessage(vector.value))).toBe(vector.hex);
    });
    it("the typed decoder reads the value back", () => {
      expect(decodeWith(vector, fromHex(vector.hex))).toEqual(vector.value);
    });
    it("the independent decoder reads the same structure", () => {
      const ref = refDecode(fromHex(vector.hex), { useBigInt64: true });
      expect(normalizeInts(ref)).toEqual(normalizeInts(plain(vector.value)));
    });
  });
});

/** bigints that fit a safe integer → numbers, so both sides compare by value. */
function normalizeInts(v: unknown): unknown {
  if (typeof v === "bigint")
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v instanceof Uint8Array || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(normalizeInts);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeInts(x)]));
}
