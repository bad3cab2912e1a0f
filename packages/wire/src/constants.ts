/** Import namespaces of ABI v1. */
export const Namespace = {
  /** Process execution, timestamp and logging. */
  Sandbox: "platform_sandbox",
  /** HTTP and DNS under a network policy. */
  Network: "platform_network",
} as const;

/** Import names of `platform_sandbox`. */
export const SandboxImport = {
  SandboxExec: "sandbox_exec",
  TakeResult: "take_result",
  GetTimestamp: "get_timestamp",
  LogMessage: "log_message",
} as const;

/** Import names of `platform_network`. */
export const NetworkImport = {
  HttpRequest: "http_request",
  HttpGet: "http_get",
  HttpPost: "http_post",
  DnsResolve: "dns_resolve",
  TakeResult: "take_result",
} as const;

/** Name of the import, present in every namespace with request/response imports, that fetches a kept envelope. */
export const TAKE_RESULT = "take_result";

/** Return codes of request/response imports. Any value `< -1` means "needs `-r` bytes". */
export const ReturnCode = {
  /** The request (or response) memory range was invalid; nothing was executed. */
  BadMemory: -1,
} as const;

/** Guest export names of the evaluation contract. */
export const GuestExport = {
  Memory: "memory",
  Alloc: "alloc",
  Allocate: "allocate",
  Evaluate: "evaluate",
  Validate: "validate",
  GetName: "get_name",
  GetVersion: "get_version",
} as const;
