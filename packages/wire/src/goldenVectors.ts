/**
 * Golden vectors of ABI v1: for each message kind, values and the exact bytes Rust `rmp_serde::to_vec_named`
 * produces for them. `@platform-wasm/wire`'s own tests check its encoders and decoders against these bytes
 * and against an independent MessagePack implementation; other codecs of the ABI (the AssemblyScript SDK)
 * import the same table from `@platform-wasm/wire/golden` so every implementation is held to one set of
 * bytes. The hex strings are literals on purpose: a Rust test can paste them.
 *
 * Values use this package's types: `undefined` is `None`, `Uint8Array` is bytes, `bigint` only beyond 2^53.
 * @packageDocumentation
 */
import type {
  DnsRequest,
  DnsResponse,
  EvaluationInput,
  EvaluationOutput,
  HttpGetRequest,
  HttpPostRequest,
  HttpRequest,
  HttpResponse,
  NetworkError,
  SandboxError,
  SandboxExecRequest,
  SandboxExecResponse,
  WireResult,
} from "./types.js";

/** The value type of each message kind (kind names match the SDK codec harness). */
export interface GoldenKinds {
  SandboxExecRequest: SandboxExecRequest;
  SandboxExecResponse: SandboxExecResponse;
  SandboxError: SandboxError;
  HttpRequest: HttpRequest;
  HttpGetRequest: HttpGetRequest;
  HttpPostRequest: HttpPostRequest;
  HttpResponse: HttpResponse;
  DnsRequest: DnsRequest;
  DnsResponse: DnsResponse;
  NetworkError: NetworkError;
  EvaluationInput: EvaluationInput;
  EvaluationOutput: EvaluationOutput;
  SandboxEnvelope: WireResult<SandboxExecResponse, SandboxError>;
  HttpEnvelope: WireResult<HttpResponse, NetworkError>;
  DnsEnvelope: WireResult<DnsResponse, NetworkError>;
}

/** A message kind. */
export type GoldenKind = keyof GoldenKinds;

/** One golden vector: a value of `kind` and its exact encoding (lowercase hex, no separators). */
export type GoldenVector = {
  [K in GoldenKind]: {
    readonly name: string;
    readonly kind: K;
    readonly value: GoldenKinds[K];
    readonly hex: string;
  };
}[GoldenKind];

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every golden vector; `name` is unique. */
export const goldenVectors: readonly GoldenVector[] = [
  {
    name: "SandboxExecRequest minimal (None fields, empty args and env)",
    kind: "SandboxExecRequest",
    value: { command: "ls", args: [], env: {}, stdin: undefined, working_directory: undefined },
    hex: "85a7636f6d6d616e64a26c73a46172677390a3656e7680a5737464696ec0b1776f726b696e675f6469726563746f7279c0",
  },
  {
    name: "SandboxExecRequest full (args, env, stdin, working directory, non-ASCII)",
    kind: "SandboxExecRequest",
    value: {
      command: "cat",
      args: ["-n", "données.txt"],
      env: { LANG: "C.UTF-8" },
      stdin: text("hi\n"),
      working_directory: "/tmp/job",
    },
    hex: "85a7636f6d6d616e64a3636174a46172677392a22d6eac646f6e6ec3a965732e747874a3656e7681a44c414e47a7432e5554462d38a5737464696ec40368690ab1776f726b696e675f6469726563746f7279a82f746d702f6a6f62",
  },
  {
    name: "SandboxExecResponse success",
    kind: "SandboxExecResponse",
    value: {
      exit_code: 0,
      stdout: text("hello\n"),
      stderr: new Uint8Array(0),
      duration_ms: 12,
      stdout_truncated: false,
      stderr_truncated: false,
      signal: undefined,
    },
    hex: "87a9657869745f636f646500a67374646f7574c40668656c6c6f0aa6737464657272c400ab6475726174696f6e5f6d730cb07374646f75745f7472756e6361746564c2b07374646572725f7472756e6361746564c2a67369676e616cc0",
  },
  {
    name: "SandboxExecResponse killed (negative exit code, signal, truncation, u16/u32 durations)",
    kind: "SandboxExecResponse",
    value: {
      exit_code: -9,
      stdout: new Uint8Array([0, 1, 2, 255]),
      stderr: text("x"),
      duration_ms: 30_000,
      stdout_truncated: true,
      stderr_truncated: false,
      signal: "SIGKILL",
    },
    hex: "87a9657869745f636f6465f7a67374646f7574c404000102ffa6737464657272c40178ab6475726174696f6e5f6d73cd7530b07374646f75745f7472756e6361746564c3b07374646572725f7472756e6361746564c2a67369676e616ca75349474b494c4c",
  },
  {
    name: "SandboxExecResponse wide values (i32 min exit code, u64 duration beyond 2^32)",
    kind: "SandboxExecResponse",
    value: {
      exit_code: -2_147_483_648,
      stdout: new Uint8Array(0),
      stderr: new Uint8Array(0),
      duration_ms: 5_000_000_000,
      stdout_truncated: false,
      stderr_truncated: true,
      signal: undefined,
    },
    hex: "87a9657869745f636f6465d280000000a67374646f7574c400a6737464657272c400ab6475726174696f6e5f6d73cf000000012a05f200b07374646f75745f7472756e6361746564c2b07374646572725f7472756e6361746564c3a67369676e616cc0",
  },
  {
    name: "SandboxError SandboxDisabled (unit)",
    kind: "SandboxError",
    value: "SandboxDisabled",
    hex: "af53616e64626f7844697361626c6564",
  },
  {
    name: "SandboxError CommandNotAllowed",
    kind: "SandboxError",
    value: { CommandNotAllowed: "rm" },
    hex: "81b1436f6d6d616e644e6f74416c6c6f776564a2726d",
  },
  {
    name: "SandboxError Timeout",
    kind: "SandboxError",
    value: { Timeout: 30_000 },
    hex: "81a754696d656f7574cd7530",
  },
  {
    name: "SandboxError OutputTooLarge",
    kind: "SandboxError",
    value: { OutputTooLarge: 1_048_576 },
    hex: "81ae4f7574707574546f6f4c61726765ce00100000",
  },
  {
    name: "SandboxError ExecutionFailed",
    kind: "SandboxError",
    value: { ExecutionFailed: "spawn failed" },
    hex: "81af457865637574696f6e4661696c6564ac737061776e206661696c6564",
  },
  {
    name: "SandboxError PolicyViolation",
    kind: "SandboxError",
    value: { PolicyViolation: "cwd" },
    hex: "81af506f6c69637956696f6c6174696f6ea3637764",
  },
  {
    name: "SandboxError LimitExceeded",
    kind: "SandboxError",
    value: { LimitExceeded: "max executions" },
    hex: "81ad4c696d69744578636565646564ae6d617820657865637574696f6e73",
  },
  {
    name: "SandboxError IsolationUnavailable",
    kind: "SandboxError",
    value: { IsolationUnavailable: "bwrap missing" },
    hex: "81b449736f6c6174696f6e556e617661696c61626c65ad6277726170206d697373696e67",
  },
  {
    name: "SandboxError InvalidRequest",
    kind: "SandboxError",
    value: { InvalidRequest: "bad" },
    hex: "81ae496e76616c696452657175657374a3626164",
  },
  {
    name: "SandboxEnvelope Ok",
    kind: "SandboxEnvelope",
    value: {
      Ok: {
        exit_code: 1,
        stdout: new Uint8Array(0),
        stderr: text("err"),
        duration_ms: 3,
        stdout_truncated: false,
        stderr_truncated: false,
        signal: undefined,
      },
    },
    hex: "81a24f6b87a9657869745f636f646501a67374646f7574c400a6737464657272c403657272ab6475726174696f6e5f6d7303b07374646f75745f7472756e6361746564c2b07374646572725f7472756e6361746564c2a67369676e616cc0",
  },
  {
    name: "SandboxEnvelope Err unit variant",
    kind: "SandboxEnvelope",
    value: { Err: "SandboxDisabled" },
    hex: "81a3457272af53616e64626f7844697361626c6564",
  },
  {
    name: "SandboxEnvelope Err data variant",
    kind: "SandboxEnvelope",
    value: { Err: { CommandNotAllowed: "rm" } },
    hex: "81a345727281b1436f6d6d616e644e6f74416c6c6f776564a2726d",
  },
  {
    name: "HttpRequest put with headers and body",
    kind: "HttpRequest",
    value: {
      method: "put",
      url: "https://api.example.com/v1/items/42",
      headers: { "content-type": "application/json" },
      body: text('{"a":1}'),
    },
    hex: "84a66d6574686f64a3707574a375726cd92368747470733a2f2f6170692e6578616d706c652e636f6d2f76312f6974656d732f3432a76865616465727381ac636f6e74656e742d74797065b06170706c69636174696f6e2f6a736f6ea4626f6479c4077b2261223a317d",
  },
  {
    name: "HttpRequest options, 32-byte URL (str8 boundary)",
    kind: "HttpRequest",
    value: {
      method: "options",
      url: "https://example.com/abcdefghijkl",
      headers: {},
      body: new Uint8Array(0),
    },
    hex: "84a66d6574686f64a76f7074696f6e73a375726cd92068747470733a2f2f6578616d706c652e636f6d2f6162636465666768696a6b6ca76865616465727380a4626f6479c400",
  },
  {
    name: "HttpGetRequest",
    kind: "HttpGetRequest",
    value: { url: "https://example.com/", headers: { accept: "*/*" } },
    hex: "82a375726cb468747470733a2f2f6578616d706c652e636f6d2fa76865616465727381a6616363657074a32a2f2a",
  },
  {
    name: "HttpPostRequest",
    kind: "HttpPostRequest",
    value: { url: "https://example.com/submit", headers: {}, body: new Uint8Array([1, 2, 3]) },
    hex: "83a375726cba68747470733a2f2f6578616d706c652e636f6d2f7375626d6974a76865616465727380a4626f6479c403010203",
  },
  {
    name: "HttpResponse 200",
    kind: "HttpResponse",
    value: { status: 200, headers: { "x-id": "7" }, body: text("ok") },
    hex: "83a6737461747573ccc8a76865616465727381a4782d6964a137a4626f6479c4026f6b",
  },
  {
    name: "HttpResponse u16 max status",
    kind: "HttpResponse",
    value: { status: 65_535, headers: {}, body: new Uint8Array(0) },
    hex: "83a6737461747573cdffffa76865616465727380a4626f6479c400",
  },
  {
    name: "DnsRequest a",
    kind: "DnsRequest",
    value: { hostname: "example.com", record_type: "a" },
    hex: "82a8686f73746e616d65ab6578616d706c652e636f6dab7265636f72645f74797065a161",
  },
  {
    name: "DnsRequest aaaa",
    kind: "DnsRequest",
    value: { hostname: "example.com", record_type: "aaaa" },
    hex: "82a8686f73746e616d65ab6578616d706c652e636f6dab7265636f72645f74797065a461616161",
  },
  {
    name: "DnsRequest cname",
    kind: "DnsRequest",
    value: { hostname: "www.example.com", record_type: "cname" },
    hex: "82a8686f73746e616d65af7777772e6578616d706c652e636f6dab7265636f72645f74797065a5636e616d65",
  },
  {
    name: "DnsRequest txt",
    kind: "DnsRequest",
    value: { hostname: "example.com", record_type: "txt" },
    hex: "82a8686f73746e616d65ab6578616d706c652e636f6dab7265636f72645f74797065a3747874",
  },
  {
    name: "DnsResponse",
    kind: "DnsResponse",
    value: { records: ["93.184.216.34", "2606:2800:220:1::"] },
    hex: "81a77265636f72647392ad39332e3138342e3231362e3334b1323630363a323830303a3232303a313a3a",
  },
  { name: "DnsResponse empty", kind: "DnsResponse", value: { records: [] }, hex: "81a77265636f72647390" },
  {
    name: "NetworkError NetworkDisabled (unit)",
    kind: "NetworkError",
    value: "NetworkDisabled",
    hex: "af4e6574776f726b44697361626c6564",
  },
  { name: "NetworkError Timeout (unit)", kind: "NetworkError", value: "Timeout", hex: "a754696d656f7574" },
  {
    name: "NetworkError PolicyViolation",
    kind: "NetworkError",
    value: { PolicyViolation: "host" },
    hex: "81af506f6c69637956696f6c6174696f6ea4686f7374",
  },
  {
    name: "NetworkError LimitExceeded",
    kind: "NetworkError",
    value: { LimitExceeded: "requests" },
    hex: "81ad4c696d69744578636565646564a87265717565737473",
  },
  {
    name: "NetworkError DnsFailure",
    kind: "NetworkError",
    value: { DnsFailure: "NXDOMAIN" },
    hex: "81aa446e734661696c757265a84e58444f4d41494e",
  },
  {
    name: "NetworkError HttpFailure",
    kind: "NetworkError",
    value: { HttpFailure: "reset" },
    hex: "81ab487474704661696c757265a57265736574",
  },
  {
    name: "NetworkError InvalidRequest",
    kind: "NetworkError",
    value: { InvalidRequest: "url" },
    hex: "81ae496e76616c696452657175657374a375726c",
  },
  {
    name: "HttpEnvelope Ok",
    kind: "HttpEnvelope",
    value: { Ok: { status: 404, headers: {}, body: text("nope") } },
    hex: "81a24f6b83a6737461747573cd0194a76865616465727380a4626f6479c4046e6f7065",
  },
  {
    name: "HttpEnvelope Err unit variant",
    kind: "HttpEnvelope",
    value: { Err: "Timeout" },
    hex: "81a3457272a754696d656f7574",
  },
  {
    name: "HttpEnvelope Err data variant",
    kind: "HttpEnvelope",
    value: { Err: { PolicyViolation: "host" } },
    hex: "81a345727281af506f6c69637956696f6c6174696f6ea4686f7374",
  },
  {
    name: "DnsEnvelope Ok",
    kind: "DnsEnvelope",
    value: { Ok: { records: ["1.1.1.1"] } },
    hex: "81a24f6b81a77265636f72647391a7312e312e312e31",
  },
  {
    name: "DnsEnvelope Err unit variant",
    kind: "DnsEnvelope",
    value: { Err: "NetworkDisabled" },
    hex: "81a3457272af4e6574776f726b44697361626c6564",
  },
  {
    name: "DnsEnvelope Err data variant",
    kind: "DnsEnvelope",
    value: { Err: { DnsFailure: "NXDOMAIN" } },
    hex: "81a345727281aa446e734661696c757265a84e58444f4d41494e",
  },
  {
    name: "EvaluationInput without optional parts",
    kind: "EvaluationInput",
    value: {
      agent_data: text('{"code":"x"}'),
      challenge_id: "ch-1",
      params: new Uint8Array(0),
      task_definition: undefined,
      environment_config: undefined,
    },
    hex: "85aa6167656e745f64617461c40c7b22636f6465223a2278227dac6368616c6c656e67655f6964a463682d31a6706172616d73c400af7461736b5f646566696e6974696f6ec0b2656e7669726f6e6d656e745f636f6e666967c0",
  },
  {
    name: "EvaluationInput with every part",
    kind: "EvaluationInput",
    value: {
      agent_data: new Uint8Array([1, 2, 3]),
      challenge_id: "test",
      params: new Uint8Array([4, 5, 6]),
      task_definition: text("task"),
      environment_config: text("env"),
    },
    hex: "85aa6167656e745f64617461c403010203ac6368616c6c656e67655f6964a474657374a6706172616d73c403040506af7461736b5f646566696e6974696f6ec4047461736bb2656e7669726f6e6d656e745f636f6e666967c403656e76",
  },
  {
    name: "EvaluationOutput success",
    kind: "EvaluationOutput",
    value: { score: 85, valid: true, message: "great job", metrics: undefined },
    hex: "84a573636f726555a576616c6964c3a76d657373616765a96772656174206a6f62a76d657472696373c0",
  },
  {
    name: "EvaluationOutput failure with negative score and metrics",
    kind: "EvaluationOutput",
    value: { score: -1, valid: false, message: "bad input", metrics: new Uint8Array([9]) },
    hex: "84a573636f7265ffa576616c6964c2a76d657373616765a962616420696e707574a76d657472696373c40109",
  },
  {
    name: "EvaluationOutput i64 scores: beyond 2^32 (uint64) and beyond 2^53 (bigint)",
    kind: "EvaluationOutput",
    value: { score: 9_007_199_254_740_993n, valid: true, message: "", metrics: undefined },
    hex: "84a573636f7265cf0020000000000001a576616c6964c3a76d657373616765a0a76d657472696373c0",
  },
  {
    name: "EvaluationOutput i64 min score",
    kind: "EvaluationOutput",
    value: { score: -9_223_372_036_854_775_808n, valid: true, message: "min", metrics: undefined },
    hex: "84a573636f7265d38000000000000000a576616c6964c3a76d657373616765a36d696ea76d657472696373c0",
  },
  {
    name: "EvaluationOutput score below i32 (int64)",
    kind: "EvaluationOutput",
    value: { score: -3_000_000_000, valid: true, message: "", metrics: undefined },
    hex: "84a573636f7265d3ffffffff4d2fa200a576616c6964c3a76d657373616765a0a76d657472696373c0",
  },
];
