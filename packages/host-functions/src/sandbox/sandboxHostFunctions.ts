import type { SandboxPolicy, TimestampMode, ValidatedSandboxPolicy } from "@platform-wasm/policy";
import { validateSandboxPolicy } from "@platform-wasm/policy";
import type { HostCall, HostFunctionRegistrar, HostImport, InstanceIdentity } from "@platform-wasm/runtime";
import {
  decodeSandboxExecRequest,
  isWireDecodeError,
  Namespace,
  type SandboxError,
  type SandboxExecRequest,
  type SandboxExecResponse,
  SandboxImport,
  type WireResult,
} from "@platform-wasm/wire";
import { HostFunctionsError, HostFunctionsErrorCode } from "../errors.js";
import { checkIsolationOptions, type IsolationOptions } from "../process/isolationOptions.js";
import type { LogWorkerConfig, TimestampWorkerConfig } from "../worker/messages.js";
import { workerModuleUrl } from "../worker/moduleUrl.js";
import { emitGuestLog } from "./guestLog.js";
import { type LogLimits, resolveLogLimits } from "./logLimits.js";
import { SandboxExecutor } from "./sandboxExecutor.js";
import { SandboxState } from "./sandboxState.js";

/** Options of {@link SandboxHostFunctions}. */
export interface SandboxHostFunctionsOptions {
  /** The sandbox policy (validated here when given raw). */
  readonly policy: SandboxPolicy | ValidatedSandboxPolicy;
  /** How `get_timestamp` answers. Default: real time. */
  readonly timestamp?: TimestampMode;
  /** Per-message and per-instance limits of `log_message`. */
  readonly logLimits?: Partial<LogLimits>;
  /** Isolation backend (default: bubblewrap). */
  readonly isolation?: IsolationOptions;
}

function isValidated(policy: SandboxPolicy | ValidatedSandboxPolicy): policy is ValidatedSandboxPolicy {
  return typeof (policy as Partial<ValidatedSandboxPolicy>).checkExecRequest === "function";
}

function timestampConfig(mode: TimestampMode | undefined): TimestampWorkerConfig {
  if (mode === undefined || mode.kind === "real_time") {
    return { kind: "real_time" };
  }
  if (!Number.isSafeInteger(mode.timestampMs)) {
    throw new HostFunctionsError(
      HostFunctionsErrorCode.INVALID_OPTIONS,
      `timestamp.timestampMs must be a safe integer, got ${String(mode.timestampMs)}`,
    );
  }
  return { kind: "deterministic", timestampMs: mode.timestampMs };
}

/**
 * The `platform_sandbox` namespace: `sandbox_exec` (request/response, run on the host under the policy),
 * `get_timestamp` and `log_message` (answered in the guest's worker). `take_result` is provided by the
 * runtime for every registrar with request imports.
 *
 * @example
 * ```ts
 * const sandbox = new SandboxHostFunctions({
 *   policy: { ...defaultSandboxPolicy(), allowedCommands: ["sha256sum"], workingDirectory: "/srv/jail" },
 *   timestamp: { kind: "deterministic", timestampMs: 1_700_000_000_000 },
 * });
 * const instance = await runtime.instantiate(module, { challengeId: "c1" }, [sandbox]);
 * await instance.evaluate(input);
 * instance.stateOf(sandbox).executionsMade;
 * ```
 */
export class SandboxHostFunctions implements HostFunctionRegistrar<SandboxState> {
  /** Always `platform_sandbox`. */
  readonly namespace = Namespace.Sandbox;
  /** `sandbox_exec` (request/response), `get_timestamp` and `log_message` (worker-side). */
  readonly imports: readonly HostImport<SandboxState>[];
  /** The validated policy in force. */
  readonly policy: ValidatedSandboxPolicy;
  readonly #executor: SandboxExecutor;
  readonly #logLimits: LogLimits;

  /**
   * @param options - policy, timestamp mode, log limits, isolation.
   * @throws PolicyError when a raw policy is invalid.
   * @throws HostFunctionsError `INVALID_OPTIONS` for bad limits or an isolation/policy conflict,
   *   `WORKER_MODULE_MISSING` when the package is not built.
   */
  constructor(options: SandboxHostFunctionsOptions) {
    this.policy = isValidated(options.policy) ? options.policy : validateSandboxPolicy(options.policy);
    if (options.isolation?.backend === "none" && this.policy.policy.requireIsolation) {
      throw new HostFunctionsError(
        HostFunctionsErrorCode.INVALID_OPTIONS,
        "isolation backend 'none' conflicts with a policy that requires isolation (requireIsolation: true)",
      );
    }
    checkIsolationOptions(options.isolation ?? {});
    this.#logLimits = resolveLogLimits(options.logLimits);
    this.#executor = new SandboxExecutor(this.policy, options.isolation);
    const logConfig: LogWorkerConfig = { ...this.#logLimits };
    const logLimits = this.#logLimits;
    this.imports = [
      {
        kind: "request",
        name: SandboxImport.SandboxExec,
        handle: (request, call) => this.#sandboxExec(request, call),
      },
      {
        kind: "worker",
        name: SandboxImport.GetTimestamp,
        params: [],
        results: ["i64"],
        moduleUrl: workerModuleUrl("getTimestamp"),
        exportName: "createGetTimestamp",
        config: timestampConfig(options.timestamp),
      },
      {
        kind: "worker",
        name: SandboxImport.LogMessage,
        params: ["i32", "i32", "i32"],
        results: [],
        moduleUrl: workerModuleUrl("logMessage"),
        exportName: "createLogMessage",
        config: logConfig,
        onMessage(message, call) {
          emitGuestLog(message, call.state, logLimits);
        },
      },
    ];
  }

  /** Fresh per-instance state: no executions made, full log budget. */
  createState(instance: InstanceIdentity): SandboxState {
    return new SandboxState(instance);
  }

  /**
   * The `sandbox_exec` handler: decode, policy check, per-instance execution budget, run. Exposed for
   * hosts that drive the ABI themselves; the runtime calls it through {@link imports}.
   * @param request - raw MessagePack request bytes from guest memory.
   * @param call - the host call context (state, abort signal, span).
   */
  handleSandboxExec(
    request: Uint8Array,
    call: HostCall<SandboxState>,
  ): Promise<WireResult<SandboxExecResponse, SandboxError>> {
    return this.#sandboxExec(request, call);
  }

  async #sandboxExec(
    bytes: Uint8Array,
    call: HostCall<SandboxState>,
  ): Promise<WireResult<SandboxExecResponse, SandboxError>> {
    let request: SandboxExecRequest;
    try {
      request = decodeSandboxExecRequest(bytes);
    } catch (error) {
      if (isWireDecodeError(error)) {
        call.span.setAttribute("sandbox.decision", "invalid-request");
        return { Err: { InvalidRequest: error.message } };
      }
      throw error;
    }
    const decision = this.policy.checkExecRequest(request);
    if (!decision.allowed) {
      call.span.setAttributes({ "sandbox.decision": "denied", "sandbox.denial_reason": decision.reason });
      return { Err: decision.error };
    }
    const max = this.policy.policy.maxExecutions;
    if (!call.state.tryStartExecution(max)) {
      call.span.setAttribute("sandbox.decision", "limit-exceeded");
      return { Err: { LimitExceeded: `max_executions (${max}) reached for this instance` } };
    }
    call.span.setAttribute("sandbox.decision", "allowed");
    return this.#executor.execute(decision.value, call.signal, call.span);
  }
}
