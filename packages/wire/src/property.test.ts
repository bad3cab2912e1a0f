// Property tests: random valid values round-trip and match an independent encoder byte for byte; random
// and mutated bytes decode to a value or a WireDecodeError and nothing else; decoded values stay within a
// small multiple of the input's size.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { encode as refEncode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWireDecodeError, isWireEncodeError } from "./errors.js";
import {
  decodeEvaluationInput,
  decodeEvaluationOutput,
  encodeEvaluationInput,
  encodeEvaluationOutput,
} from "./evaluationCodec.js";
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
  HTTP_METHODS,
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
import type { DnsRecordType, NetworkError, SandboxError } from "./types.js";

// ---- arbitraries of every ABI type ---------------------------------------------------------------------
// Strings are any well-formed Unicode (lone surrogates have no UTF-8 form and are refused by the encoders).
const str = fc.string({ unit: "grapheme", maxLength: 40 });
const bin = fc.uint8Array({ maxLength: 300 });
const dict = fc.dictionary(str, str, { maxKeys: 20 });
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const u64 = fc.oneof(fc.nat(300), fc.integer({ min: 0, max: 2 ** 32 + 5 }), fc.maxSafeNat());
const i64 = fc.oneof(
  fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 32 + 5 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b < -(2n ** 53n) || b > 2n ** 53n),
);

const sandboxError: fc.Arbitrary<SandboxError> = fc.oneof(
  fc.constant("SandboxDisabled" as const),
  str.map((s) => ({ CommandNotAllowed: s })),
  u64.map((n) => ({ Timeout: n })),
  u64.map((n) => ({ OutputTooLarge: n })),
  str.map((s) => ({ ExecutionFailed: s })),
  str.map((s) => ({ PolicyViolation: s })),
  str.map((s) => ({ LimitExceeded: s })),
  str.map((s) => ({ IsolationUnavailable: s })),
  str.map((s) => ({ InvalidRequest: s })),
);
const networkError: fc.Arbitrary<NetworkError> = fc.oneof(
  fc.constant("NetworkDisabled" as const),
  fc.constant("Timeout" as const),
  str.map((s) => ({ PolicyViolation: s })),
  str.map((s) => ({ LimitExceeded: s })),
  str.map((s) => ({ DnsFailure: s })),
  str.map((s) => ({ HttpFailure: s })),
  str.map((s) => ({ InvalidRequest: s })),
);
const execRequest = fc.record({
  command: str,
  args: fc.array(str, { maxLength: 20 }),
  env: dict,
  stdin: opt(bin),
  working_directory: opt(str),
});
const execResponse = fc.record({
  exit_code: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  stdout: bin,
  stderr: bin,
  duration_ms: u64,
  stdout_truncated: fc.boolean(),
  stderr_truncated: fc.boolean(),
  signal: opt(str),
});
const method = fc.constantFrom(...HTTP_METHODS);
const recordType = fc.constantFrom<DnsRecordType>("a", "aaaa", "cname", "txt");
const httpResponse = fc.record({ status: fc.integer({ min: 0, max: 65_535 }), headers: dict, body: bin });
const dnsResponse = fc.record({ records: fc.array(str, { maxLength: 12 }) });

interface Kind {
  readonly name: string;
  readonly arb: fc.Arbitrary<unknown>;
  readonly encode: (v: never) => Uint8Array;
  readonly decode: (b: Uint8Array) => unknown;
}
const kinds: Kind[] = [
  {
    name: "SandboxExecRequest",
    arb: execRequest,
    encode: encodeSandboxExecRequest,
    decode: decodeSandboxExecRequest,
  },
  {
    name: "SandboxExecResponse",
    arb: execResponse,
    encode: encodeSandboxExecResponse,
    decode: decodeSandboxExecResponse,
  },
  { name: "SandboxError", arb: sandboxError, encode: encodeSandboxError, decode: decodeSandboxError },
  {
    name: "SandboxEnvelope",
    arb: fc.oneof(
      execResponse.map((Ok) => ({ Ok })),
      sandboxError.map((Err) => ({ Err })),
    ),
    encode: encodeSandboxExecEnvelope,
    decode: decodeSandboxExecEnvelope,
  },
  {
    name: "HttpRequest",
    arb: fc.record({ method, url: str, headers: dict, body: bin }),
    encode: encodeHttpRequest,
    decode: decodeHttpRequest,
  },
  {
    name: "HttpGetRequest",
    arb: fc.record({ url: str, headers: dict }),
    encode: encodeHttpGetRequest,
    decode: decodeHttpGetRequest,
  },
  {
    name: "HttpPostRequest",
    arb: fc.record({ url: str, headers: dict, body: bin }),
    encode: encodeHttpPostRequest,
    decode: decodeHttpPostRequest,
  },
  { name: "HttpResponse", arb: httpResponse, encode: encodeHttpResponse, decode: decodeHttpResponse },
  {
    name: "DnsRequest",
    arb: fc.record({ hostname: str, record_type: recordType }),
    encode: encodeDnsRequest,
    decode: decodeDnsRequest,
  },
  { name: "DnsResponse", arb: dnsResponse, encode: encodeDnsResponse, decode: decodeDnsResponse },
  { name: "NetworkError", arb: networkError, encode: encodeNetworkError, decode: decodeNetworkError },
  {
    name: "HttpEnvelope",
    arb: fc.oneof(
      httpResponse.map((Ok) => ({ Ok })),
      networkError.map((Err) => ({ Err })),
    ),
    encode: encodeHttpEnvelope,
    decode: decodeHttpEnvelope,
  },
  {
    name: "DnsEnvelope",
    arb: fc.oneof(
      dnsResponse.map((Ok) => ({ Ok })),
      networkError.map((Err) => ({ Err })),
    ),
    encode: encodeDnsEnvelope,
    decode: decodeDnsEnvelope,
  },
  {
    name: "EvaluationInput",
    arb: fc.record({
      agent_data: bin,
      challenge_id: str,
      params: bin,
      task_definition: opt(bin),
      environment_config: opt(bin),
    }),
    encode: encodeEvaluationInput,
    decode: decodeEvaluationInput,
  },
  {
    name: "EvaluationOutput",
    arb: fc.record({ score: i64, valid: fc.boolean(), message: str, metrics: opt(bin) }),
    encode: encodeEvaluationOutput,
    decode: decodeEvaluationOutput,
  },
];

/** The structure the reference encoder must see: None → null, wide integers as bigints. */
function plain(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "number" && (v < -0x8000_0000 || v > 0xffff_ffff)) return BigInt(v);
  if (v instanceof Uint8Array || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

/** Decoding must end in a value or a WireDecodeError — any other throw fails the property. */
function decodeOrWireError(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (e) {
    if (!isWireDecodeError(e)) throw new Error(`non-WireDecodeError thrown: ${String(e)}`, { cause: e });
  }
}

// Byte-level mutations of a valid encoding: overwrite, insert, delete, truncate, and header-size lies.
const mutation = fc.oneof(
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({
    op: fc.constant("big" as const),
    at: fc.nat(),
    byte: fc.constantFrom(0xdd, 0xdf, 0xdb, 0xc6, 0xc9),
  }),
);
function mutate(bytes: Uint8Array, muts: { op: string; at: number; byte: number }[]): Uint8Array {
  let b = Array.from(bytes);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.op === "set") b[at] = m.byte;
    else if (m.op === "insert") b.splice(at, 0, m.byte);
    else if (m.op === "delete") b.splice(at, 1);
    else if (m.op === "truncate") b = b.slice(0, at);
    else b.splice(at, 0, m.byte, 0xff, 0xff, 0xff, 0xf0);
  }
  return Uint8Array.from(b);
}

const allDecoders = kinds.map((k) => k.decode);

describe("property: valid values", () => {
  it.each(kinds.map((k) => [k.name, k] as const))(
    "%s round-trips and matches the reference encoder",
    (_n, kind) => {
      fc.assert(
        fc.property(kind.arb, (value) => {
          const bytes = kind.encode(value as never);
          expect(kind.decode(bytes)).toEqual(value);
          expect(Buffer.from(bytes).equals(Buffer.from(refEncode(plain(value), { useBigInt64: true })))).toBe(
            true,
          );
          // decoding then encoding again is a fixed point
          expect(kind.encode(kind.decode(bytes) as never)).toEqual(bytes);
        }),
        { numRuns: 150 },
      );
    },
  );

  it("encoders refuse strings with lone surrogates instead of writing invalid UTF-8", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), (s) => {
        const wellFormed = (s as unknown as { isWellFormed(): boolean }).isWellFormed();
        try {
          const bytes = encodeDnsRequest({ hostname: s, record_type: "a" });
          expect(wellFormed).toBe(true);
          expect(decodeDnsRequest(bytes).hostname).toBe(s);
        } catch (e) {
          expect(isWireEncodeError(e)).toBe(true);
          expect(wellFormed).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("property: hostile bytes", () => {
  it("random bytes decode to a value or a WireDecodeError, for every decoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of allDecoders) decodeOrWireError(decode, bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it("random MessagePack-shaped values decode to a value or a WireDecodeError", () => {
    const anyValue = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withTypedArray: false,
      withNullPrototype: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anyValue, (value) => {
        let bytes: Uint8Array;
        try {
          bytes = refEncode(value, { useBigInt64: true, ignoreUndefined: false });
        } catch {
          return; // not representable in MessagePack (symbols, functions…)
        }
        for (const decode of allDecoders) decodeOrWireError(decode, bytes);
      }),
      { numRuns: 500 },
    );
  });

  it.each(kinds.map((k) => [k.name, k] as const))(
    "mutated %s encodings decode to a value or a WireDecodeError",
    (_n, kind) => {
      fc.assert(
        fc.property(kind.arb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (value, muts) => {
          const bytes = mutate(kind.encode(value as never), muts);
          decodeOrWireError(kind.decode, bytes);
        }),
        { numRuns: 200 },
      );
    },
  );
});

describe("allocation bound", () => {
  // Measures the heap retained by a decoded value with explicit GCs (exposed for this test only).
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;

  function retained(make: () => unknown): number {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = make();
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(kept).toBeDefined();
    return after - before;
  }

  // Each input is a valid SandboxExecRequest whose `args` hold the bulk, so the decoded value keeps all of
  // it alive: the worst case for what a decode can leave on the heap per input byte.
  const SIZE = 1 << 20;
  const prefix = [0x83, 0xa7, ...Buffer.from("command"), 0xa0, 0xa4, ...Buffer.from("args")];
  const shapes: [string, () => Uint8Array][] = [
    [
      "args: 2^20 one-byte strings",
      () =>
        Uint8Array.from([
          ...prefix,
          0xdd,
          0x00,
          0x08,
          0x00,
          0x00,
          ...new Array(0x80000).fill([0xa1, 0x61]).flat(),
          0xa3,
          ...Buffer.from("env"),
          0x80,
        ]),
    ],
    [
      "args: 2^18 four-byte strings",
      () =>
        Uint8Array.from([
          ...prefix,
          0xdd,
          0x00,
          0x04,
          0x00,
          0x00,
          ...new Array(0x40000).fill([0xa3, 0x61, 0x62, 0x63]).flat(),
          0xa3,
          ...Buffer.from("env"),
          0x80,
        ]),
    ],
  ];

  it.each(shapes)("%s: retained heap stays under 16× the input", (_name, make) => {
    const bytes = make();
    const used = retained(() => decodeSandboxExecRequest(bytes));
    expect(used).toBeLessThan(16 * bytes.length + SIZE);
  });

  it("header lies never allocate: 2^32-element claims are refused in microseconds", () => {
    const lies = ["dd ffffffff", "df ffffffff", "db ffffffff", "c6 ffffffff", "dc ffff", "de ffff"];
    for (const h of lies) {
      const bytes = Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
      const start = performance.now();
      const used = retained(() => {
        for (const decode of allDecoders) decodeOrWireError(decode, bytes);
        return true;
      });
      expect(used).toBeLessThan(SIZE);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });

  it("1 MiB of random bytes is handled quickly by every decoder", () => {
    const bytes = new Uint8Array(SIZE);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
    const start = performance.now();
    for (const decode of allDecoders) decodeOrWireError(decode, bytes);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
