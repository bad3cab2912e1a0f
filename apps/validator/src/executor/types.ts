/** Per-evaluation limits that override the policy file's `limits` section. */
export interface ExecutionOverrides {
  /** Wall-clock deadline of the evaluation, milliseconds. */
  readonly timeoutMs?: number;
  /** Memory cap of the guest, MiB. */
  readonly maxMemoryMb?: number;
  /** Fuel budget (deterministic instruction metering). */
  readonly fuel?: number;
}

/** One evaluation or validation request. */
export interface ExecutionRequest {
  /** Bytes handed to the guest as `EvaluationInput.agent_data`. */
  readonly input: Uint8Array;
  /** `EvaluationInput.challenge_id`; defaults to the module's file name without `.wasm`. */
  readonly challengeId?: string;
  /** `EvaluationInput.params`; defaults to empty. */
  readonly params?: Uint8Array;
  /** A policy file to use instead of the module's companion policy. */
  readonly policyPath?: string;
  /** Limits overriding the policy's `limits`. */
  readonly overrides?: ExecutionOverrides;
}

/** Measurements of one evaluation, with the wire (snake_case) names the CLI and service print. */
export interface ExecutionMetrics {
  /** Wall time from instantiation to result, milliseconds. */
  readonly execution_time_ms: number;
  /** Linear memory the guest ended with, bytes. */
  readonly memory_used_bytes: number;
  /** `sandbox_exec` calls that ran a process. */
  readonly sandbox_executions: number;
  /** HTTP requests made through `platform_network`. */
  readonly network_requests: number;
  /** Fuel consumed, or `null` when the evaluation was not metered. */
  readonly fuel_consumed: number | null;
}

/** The guest's verdict in printable form. */
export interface ExecutionOutput {
  /**
   * The score (an i64). A number when it is a safe integer; a decimal string beyond ±2^53 so JSON never
   * loses precision.
   */
  readonly score: number | string;
  readonly valid: boolean;
  readonly message: string;
}

/** Result of {@link WasmChallengeExecutor.executeEvaluation} / `executeValidation`. */
export interface ExecutionResult {
  readonly output: ExecutionOutput;
  readonly metrics: ExecutionMetrics;
}
