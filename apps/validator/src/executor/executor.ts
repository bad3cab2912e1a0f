import { realpathSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type Attributes, SpanStatusCode, trace } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import {
  type NetworkAuditLogger,
  NetworkHostFunctions,
  SandboxHostFunctions,
} from "@platform-wasm/host-functions";
import type { PolicyDocument } from "@platform-wasm/policy";
import {
  type ChallengeInstance,
  type CompileOptions,
  type InstanceConfig,
  type RuntimeConfig,
  type WasmModule,
  WasmRuntime,
} from "@platform-wasm/runtime";
import type { EvaluationInput, EvaluationOutput } from "@platform-wasm/wire";
import { toErrorBody } from "../errorBody.js";
import { ValidatorError, ValidatorErrorCode } from "../errors.js";
import {
  createInstruments,
  INSTRUMENTATION_SCOPE,
  type ValidatorInstruments,
} from "../telemetry/instruments.js";
import { ModuleCache } from "./moduleCache.js";
import { resolveConfinedModule, resolveOperatorModule } from "./modulePath.js";
import { type ResolvedPolicy, resolvePolicy } from "./policyFile.js";
import type { ExecutionMetrics, ExecutionOutput, ExecutionRequest, ExecutionResult } from "./types.js";

/** Largest module file the executor reads (bytes); larger files fail with `MODULE_TOO_LARGE`. */
export const DEFAULT_MAX_MODULE_BYTES = 64 * 1024 * 1024;

const MIB = 1024 * 1024;

/** Error codes that mean the guest itself was stopped (counted as traps). */
const TRAP_CODES: ReadonlySet<string> = new Set([
  "GUEST_TRAP",
  "DEADLINE_EXCEEDED",
  "MEMORY_LIMIT",
  "FUEL_EXHAUSTED",
]);

/** Options of {@link WasmChallengeExecutor}. */
export interface WasmChallengeExecutorOptions {
  /** This validator's id: set on every instance, span and log record. */
  readonly validatorId: string;
  /**
   * Directory that module names are resolved in. When set, names are confined to it (`..`, absolute
   * paths and symlinks that lead out are refused); when unset, names are operator paths resolved against
   * the working directory.
   */
  readonly moduleDir?: string;
  /** Runtime configuration (memory cap, concurrency, queue, default deadline, pool size, fuel). */
  readonly runtime?: Partial<RuntimeConfig>;
  /** Largest module file accepted, bytes. Default {@link DEFAULT_MAX_MODULE_BYTES}. */
  readonly maxModuleBytes?: number;
}

/** What {@link WasmChallengeExecutor.loadModule} returns. */
export interface LoadedModule {
  /** Real absolute path of the module file. */
  readonly path: string;
  readonly module: WasmModule;
  /** SHA-256 of the file, hex. */
  readonly sha256: string;
  /** File size, bytes. */
  readonly sizeBytes: number;
}

type Kind = "evaluate" | "validate";

/**
 * Runs challenge modules the way a validator node does: resolves the module (confined to a module
 * directory when one is configured), compiles it once per content hash, loads its policy (explicit file,
 * companion `<module>.policy.json|yaml|yml`, or the secure defaults), instantiates it on one shared
 * {@link WasmRuntime} with `platform_sandbox` and `platform_network` host functions built from that
 * policy, and reports the output with metrics. Every evaluation is one trace span; host-call spans created
 * by the runtime become its children.
 *
 * @example
 * ```ts
 * const executor = new WasmChallengeExecutor({ validatorId: "v1", moduleDir: "./modules" });
 * const { output, metrics } = await executor.executeEvaluation("answer-check.wasm", {
 *   input: new TextEncoder().encode('{"answer":42}'),
 * });
 * await executor.close();
 * ```
 */
export class WasmChallengeExecutor {
  readonly #options: WasmChallengeExecutorOptions;
  readonly #runtime: WasmRuntime;
  readonly #cache: ModuleCache<WasmModule, CompileOptions>;
  readonly #instruments: ValidatorInstruments;
  readonly #tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  readonly #auditLogger: NetworkAuditLogger;
  readonly #logger = logs.getLogger(INSTRUMENTATION_SCOPE);
  #closed: Promise<void> | undefined;

  /** @param options - see {@link WasmChallengeExecutorOptions}. */
  constructor(options: WasmChallengeExecutorOptions) {
    this.#options = options;
    this.#runtime = new WasmRuntime(options.runtime ?? {});
    this.#cache = new ModuleCache(
      (bytes, options: CompileOptions) => this.#runtime.compileModule(bytes, options),
      (options) => `${options.maxMemoryBytes ?? "default"}/${options.fuel ?? "default"}`,
    );
    this.#instruments = createInstruments();
    this.#auditLogger = networkAuditToTelemetry();
  }

  /** The module directory names are confined to, or `undefined` when names are operator paths. */
  get moduleDir(): string | undefined {
    return this.#options.moduleDir;
  }

  /** Number of compiled modules in the cache. */
  get cachedModuleCount(): number {
    return this.#cache.size;
  }

  /**
   * Drops every compilation of a module from the cache (it is recompiled on next use).
   * @param modulePath - the module's path: absolute, or relative to the module directory (the working
   *   directory when there is none). Symlinks are resolved as the executor resolves them.
   * @returns whether it was cached.
   */
  invalidate(modulePath: string): boolean {
    const absolute = path.resolve(this.#options.moduleDir ?? ".", modulePath);
    let real = absolute;
    try {
      real = realpathSync(absolute);
    } catch {
      // A deleted file can still have cache entries under the path it had.
    }
    return this.#cache.invalidate(real) || this.#cache.invalidate(absolute);
  }

  /** Empties the compiled-module cache. */
  clear(): void {
    this.#cache.clear();
  }

  /**
   * Resolves, reads and compiles a module (from the cache when its bytes and options are unchanged).
   * @param module - a module name (confined to the module directory) or an operator path.
   * @param options - compile options (memory cap, metering); default the runtime's.
   * @returns the compiled module and where it came from.
   */
  async loadModule(module: string, options: CompileOptions = {}): Promise<LoadedModule> {
    return this.#load(await this.#resolve(module), module, options);
  }

  async #load(file: string, module: string, options: CompileOptions): Promise<LoadedModule> {
    const limit = this.#options.maxModuleBytes ?? DEFAULT_MAX_MODULE_BYTES;
    const { size } = await stat(file);
    if (size > limit) {
      throw new ValidatorError(
        ValidatorErrorCode.MODULE_TOO_LARGE,
        `module ${JSON.stringify(module)} is ${size} bytes, more than the limit of ${limit}`,
      );
    }
    const bytes = new Uint8Array(await readFile(file));
    const { module: compiled, sha256 } = await this.#cache.get(file, bytes, options);
    return { path: file, module: compiled, sha256, sizeBytes: bytes.byteLength };
  }

  /**
   * Runs the guest's `evaluate` export.
   * @param module - module name or path.
   * @param request - input, challenge id, policy and limit overrides.
   * @returns the output and metrics.
   * @throws typed errors with a stable `code` (`MODULE_NOT_FOUND`, `POLICY_FILE_INVALID`, `GUEST_TRAP`,
   *   `DEADLINE_EXCEEDED`, `MEMORY_LIMIT`, `MISSING_EXPORT`, `NO_OUTPUT`, `OVER_CAPACITY`, …).
   */
  executeEvaluation(module: string, request: ExecutionRequest): Promise<ExecutionResult> {
    return this.#execute("evaluate", module, request);
  }

  /**
   * Runs the guest's `validate` export. The output's `score` is always 0 and `message` says whether the
   * input was accepted.
   * @param module - module name or path.
   * @param request - as for {@link executeEvaluation}.
   * @returns the verdict and metrics.
   */
  executeValidation(module: string, request: ExecutionRequest): Promise<ExecutionResult> {
    return this.#execute("validate", module, request);
  }

  /** Stops the runtime (its workers) after in-flight evaluations settle. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#runtime.close();
    return this.#closed;
  }

  async #resolve(module: string): Promise<string> {
    const dir = this.#options.moduleDir;
    return dir === undefined ? resolveOperatorModule(module) : resolveConfinedModule(dir, module);
  }

  #execute(kind: Kind, module: string, request: ExecutionRequest): Promise<ExecutionResult> {
    const attributes: Attributes = { "validator.id": this.#options.validatorId, "evaluation.kind": kind };
    return this.#tracer.startActiveSpan(`validator.${kind}`, { attributes }, async (span) => {
      const started = performance.now();
      try {
        const file = await this.#resolve(module);
        const policy = await resolvePolicy(file, request.policyPath);
        if (policy.source !== undefined) span.setAttribute("policy.source", policy.source);
        const loaded = await this.#load(file, module, compileOptions(policy.document, request));
        const challengeId = request.challengeId ?? path.basename(loaded.path, ".wasm");
        span.setAttributes({
          challenge_id: challengeId,
          "module.path": loaded.path,
          "module.sha256": loaded.sha256,
        });
        const result = await this.#run(kind, loaded, policy, challengeId, request);
        const elapsed = performance.now() - started;
        span.setAttributes({
          "evaluation.valid": result.output.valid,
          "evaluation.score": String(result.output.score),
        });
        this.#record(kind, "ok", elapsed, result.metrics, undefined);
        return result;
      } catch (error) {
        const { code, message } = toErrorBody(error);
        span.recordException(error instanceof Error ? error : new Error(message));
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${code}: ${message}` });
        span.setAttribute("error.code", code);
        this.#record(kind, "error", performance.now() - started, undefined, code);
        // Also a log record, emitted inside the span so it carries the trace id.
        this.#logger.emit({
          severityNumber: SeverityNumber.WARN,
          severityText: "WARN",
          body: `${kind} failed: ${code}: ${message}`,
          attributes: {
            source: "validator",
            "error.code": code,
            validator_id: this.#options.validatorId,
            challenge_id: request.challengeId ?? path.basename(module, ".wasm"),
          },
        });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  async #run(
    kind: Kind,
    loaded: LoadedModule,
    policy: ResolvedPolicy,
    challengeId: string,
    request: ExecutionRequest,
  ): Promise<ExecutionResult> {
    const document = policy.document;
    const sandbox = new SandboxHostFunctions({ policy: document.sandbox, timestamp: document.timestamp });
    const network = new NetworkHostFunctions(document.network, { auditLogger: this.#auditLogger });
    const started = performance.now();
    const instance = await this.#runtime.instantiate(
      loaded.module,
      instanceConfig(this.#options.validatorId, challengeId, document, request),
      [sandbox, network],
    );
    try {
      const input: EvaluationInput = {
        agent_data: request.input,
        challenge_id: challengeId,
        params: request.params ?? new Uint8Array(0),
        task_definition: undefined,
        environment_config: undefined,
      };
      let output: ExecutionOutput;
      if (kind === "evaluate") {
        const result = await instance.evaluate(input);
        if (result === undefined) {
          throw new ValidatorError(
            ValidatorErrorCode.NO_OUTPUT,
            "the guest's evaluate export returned no output (0)",
          );
        }
        output = toPrintableOutput(result);
      } else {
        const valid = await instance.validate(input);
        output = { score: 0, valid, message: valid ? "input accepted" : "input rejected" };
      }
      return { output, metrics: collectMetrics(instance, sandbox, network, performance.now() - started) };
    } finally {
      await instance.dispose();
    }
  }

  #record(
    kind: Kind,
    outcome: "ok" | "error",
    elapsedMs: number,
    metrics: ExecutionMetrics | undefined,
    code: string | undefined,
  ): void {
    const attributes: Attributes = { kind, outcome };
    if (code !== undefined) attributes["error.code"] = code;
    this.#instruments.evaluations.add(1, attributes);
    this.#instruments.duration.record(elapsedMs, { kind, outcome });
    if (code !== undefined && TRAP_CODES.has(code)) this.#instruments.traps.add(1, { "error.code": code });
    if (metrics !== undefined) {
      if (metrics.sandbox_executions > 0) this.#instruments.sandboxExecutions.add(metrics.sandbox_executions);
      if (metrics.network_requests > 0) this.#instruments.networkRequests.add(metrics.network_requests);
    }
  }
}

/**
 * Forwards `platform_network` audit entries to OpenTelemetry log records (headers and bodies only
 * appear when the policy's audit settings put them in the entry). Denials are counted from host-call
 * spans (see `DenialSpanProcessor`), not here, so they are counted once.
 */
function networkAuditToTelemetry(): NetworkAuditLogger {
  const logger = logs.getLogger(INSTRUMENTATION_SCOPE);
  return {
    record(entry) {
      const { action } = entry;
      const attributes: Record<string, string | number> = {
        source: "network-audit",
        "audit.action": action.type,
        challenge_id: entry.challengeId,
        validator_id: entry.validatorId,
        "wasm.instance.id": entry.instanceId,
      };
      if (action.type === "http_request")
        Object.assign(attributes, { "url.full": action.url, "http.request.method": action.method });
      if (action.type === "http_response") {
        Object.assign(attributes, {
          "url.full": action.url,
          "http.response.status_code": action.status,
          "http.response.body.size": action.bytes,
        });
      }
      if (action.type === "dns_lookup")
        Object.assign(attributes, {
          "dns.question.name": action.hostname,
          "dns.question.type": action.recordType,
        });
      if (action.type === "policy_denied") {
        attributes["audit.reason"] = action.reason;
      }
      logger.emit({
        severityNumber: action.type === "policy_denied" ? SeverityNumber.WARN : SeverityNumber.INFO,
        severityText: action.type === "policy_denied" ? "WARN" : "INFO",
        body: `network audit: ${action.type}`,
        attributes,
      });
    },
  };
}

function compileOptions(document: PolicyDocument, request: ExecutionRequest): CompileOptions {
  const overrides = request.overrides ?? {};
  const options: { -readonly [K in keyof CompileOptions]: CompileOptions[K] } = {};
  const maxMemoryBytes =
    overrides.maxMemoryMb !== undefined ? overrides.maxMemoryMb * MIB : document.limits.maxMemoryBytes;
  if (maxMemoryBytes !== undefined) options.maxMemoryBytes = maxMemoryBytes;
  // A fuel budget (flag or policy) means metering; otherwise the runtime's default applies.
  if ((overrides.fuel ?? document.limits.fuel) !== undefined) options.fuel = true;
  return options;
}

function instanceConfig(
  validatorId: string,
  challengeId: string,
  document: PolicyDocument,
  request: ExecutionRequest,
): Partial<InstanceConfig> {
  const overrides = request.overrides ?? {};
  const config: { -readonly [K in keyof InstanceConfig]?: InstanceConfig[K] } = { challengeId, validatorId };
  const timeoutMs = overrides.timeoutMs ?? document.limits.timeoutMs;
  if (timeoutMs !== undefined) config.timeoutMs = timeoutMs;
  const fuel = overrides.fuel ?? document.limits.fuel;
  if (fuel !== undefined) config.fuelLimit = fuel;
  return config;
}

function toPrintableOutput(output: EvaluationOutput): ExecutionOutput {
  const score = output.score;
  const printableScore =
    typeof score === "bigint"
      ? Number.isSafeInteger(Number(score))
        ? Number(score)
        : score.toString()
      : score;
  return { score: printableScore, valid: output.valid, message: output.message };
}

function collectMetrics(
  instance: ChallengeInstance,
  sandbox: SandboxHostFunctions,
  network: NetworkHostFunctions,
  elapsedMs: number,
): ExecutionMetrics {
  const stats = instance.stats();
  const fuel = instance.fuelConsumed();
  return {
    execution_time_ms: Math.round(elapsedMs * 1000) / 1000,
    memory_used_bytes: stats.memoryUsedBytes,
    sandbox_executions: instance.stateOf(sandbox).executionsMade,
    network_requests: instance.stateOf(network).requestsMade,
    fuel_consumed: fuel === undefined ? null : Number(fuel),
  };
}
