/**
 * ABI v1 message types. Field names are the wire names (snake_case), exactly as a Rust guest's
 * `rmp-serde` named encoding produces them, so one name identifies a field in every language and the
 * codec never renames keys on the hot path. Byte fields are `Uint8Array` (MessagePack `bin`);
 * `Option::None` is `undefined` here and `nil` on the wire.
 */

/** `platform_sandbox.sandbox_exec` request. */
export interface SandboxExecRequest {
  command: string;
  args: string[];
  env: Record<string, string>;
  stdin: Uint8Array | undefined;
  working_directory: string | undefined;
}

/** `platform_sandbox.sandbox_exec` response. */
export interface SandboxExecResponse {
  exit_code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  duration_ms: number;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  signal: string | undefined;
}

/** Error variants of `platform_sandbox` (externally tagged: unit variants are strings, data variants one-key maps). */
export type SandboxError =
  | "SandboxDisabled"
  | { CommandNotAllowed: string }
  | { Timeout: number }
  | { OutputTooLarge: number }
  | { ExecutionFailed: string }
  | { PolicyViolation: string }
  | { LimitExceeded: string }
  | { IsolationUnavailable: string }
  | { InvalidRequest: string };

/** HTTP methods of the ABI, lowercase as on the wire. */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete" | "head" | "options";

/** `platform_network.http_request` request. */
export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** `platform_network.http_get` request. */
export interface HttpGetRequest {
  url: string;
  headers: Record<string, string>;
}

/** `platform_network.http_post` request. */
export interface HttpPostRequest {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Response of every `platform_network` HTTP import. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** DNS record types of the ABI, lowercase as on the wire. */
export type DnsRecordType = "a" | "aaaa" | "cname" | "txt";

/** `platform_network.dns_resolve` request. */
export interface DnsRequest {
  hostname: string;
  record_type: DnsRecordType;
}

/** `platform_network.dns_resolve` response. */
export interface DnsResponse {
  records: string[];
}

/** Error variants of `platform_network`. */
export type NetworkError =
  | "NetworkDisabled"
  | { PolicyViolation: string }
  | { LimitExceeded: string }
  | { DnsFailure: string }
  | { HttpFailure: string }
  | "Timeout"
  | { InvalidRequest: string };

/** Input handed to a guest's `evaluate` / `validate` export. */
export interface EvaluationInput {
  agent_data: Uint8Array;
  challenge_id: string;
  params: Uint8Array;
  task_definition: Uint8Array | undefined;
  environment_config: Uint8Array | undefined;
}

/** Output a guest's `evaluate` export returns. `score` is an i64 (a `bigint` only beyond 2^53). */
export interface EvaluationOutput {
  score: number | bigint;
  valid: boolean;
  message: string;
  metrics: Uint8Array | undefined;
}

/** The serde `Result` layout used for every response envelope: exactly one of `Ok` / `Err`. */
export type WireResult<T, E> = { Ok: T } | { Err: E };
