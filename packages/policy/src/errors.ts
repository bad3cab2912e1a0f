/** Stable codes of `@platform-wasm/policy` errors. */
export const PolicyErrorCode = {
  /** A policy object is not usable as given (bad field value, unparsable host pattern or CIDR, port 0, …). */
  POLICY_INVALID: "POLICY_INVALID",
  /** A policy file is not valid JSON/YAML or does not match the policy-file schema. */
  POLICY_FILE_INVALID: "POLICY_FILE_INVALID",
  /** A policy file could not be read (missing, unreadable, unknown extension). */
  POLICY_FILE_UNREADABLE: "POLICY_FILE_UNREADABLE",
} as const;

/** One of {@link PolicyErrorCode}. */
export type PolicyErrorCode = (typeof PolicyErrorCode)[keyof typeof PolicyErrorCode];

/**
 * Thrown by `validateSandboxPolicy` / `validateNetworkPolicy` when a policy cannot be enforced as written.
 * `field` names the offending field in TypeScript (camelCase) terms, e.g. `http.allowedHosts[2]`.
 */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
  readonly code: PolicyErrorCode;
  /** Path of the offending field (camelCase, e.g. `http.allowedPorts[0]`); empty for the whole policy. */
  readonly field: string;
  /** What is wrong, without the field prefix. */
  readonly detail: string;
  constructor(field: string, detail: string, options?: { cause?: unknown; code?: PolicyErrorCode }) {
    super(
      field ? `${field}: ${detail}` : detail,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.field = field;
    this.detail = detail;
    this.code = options?.code ?? PolicyErrorCode.POLICY_INVALID;
  }
}

/**
 * Thrown when a policy file cannot be used. `path` is the snake_case field path inside the file
 * (e.g. `sandbox.allowed_commands[2]`, empty for the document root) and `source` names the file.
 */
export class PolicyFileError extends Error {
  override readonly name = "PolicyFileError";
  readonly code: PolicyErrorCode;
  /** Field path inside the document, snake_case as written in the file; empty for the root. */
  readonly path: string;
  /** Where the text came from (file path or a caller-chosen label). */
  readonly source: string;
  /** What is wrong, without the source and path prefix. */
  readonly detail: string;
  constructor(
    source: string,
    path: string,
    detail: string,
    options?: { cause?: unknown; code?: PolicyErrorCode },
  ) {
    super(
      `${source}: ${path ? `${path}: ` : ""}${detail}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.source = source;
    this.path = path;
    this.detail = detail;
    this.code = options?.code ?? PolicyErrorCode.POLICY_FILE_INVALID;
  }
}

/** True when `error` is a {@link PolicyError}. */
export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}

/** True when `error` is a {@link PolicyFileError}. */
export function isPolicyFileError(error: unknown): error is PolicyFileError {
  return error instanceof PolicyFileError;
}
