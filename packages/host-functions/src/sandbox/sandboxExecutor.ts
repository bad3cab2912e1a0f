import { realpath } from "node:fs/promises";
import { context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ApprovedExec, ValidatedSandboxPolicy } from "@platform-wasm/policy";
import type { SandboxError, SandboxExecResponse, WireResult } from "@platform-wasm/wire";
import { buildBubblewrapLaunch } from "../process/bubblewrapArgs.js";
import { type BubblewrapAvailability, probeBubblewrap } from "../process/bubblewrapProbe.js";
import type { IsolationOptions } from "../process/isolationOptions.js";
import { runProcess } from "../process/runProcess.js";
import type { LaunchSpec, RunOutcome } from "../process/types.js";
import { INSTRUMENTATION_NAME } from "./guestLog.js";

type ExecResult = WireResult<SandboxExecResponse, SandboxError>;

const probes = new Map<string, Promise<BubblewrapAvailability>>();
/** A failed probe is trusted this long, then retried (a transient failure must not disable exec for good). */
const FAILED_PROBE_TTL_MS = 5000;

/** One successful probe per distinct isolation configuration per process. */
function probeOnce(options: IsolationOptions): Promise<BubblewrapAvailability> {
  const key = JSON.stringify(options);
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probeBubblewrap(options).catch(
      (error: unknown): BubblewrapAvailability => ({
        available: false,
        reason: `probing bubblewrap failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
    probes.set(key, probe);
    void probe.then((result) => {
      if (!result.available) {
        setTimeout(() => probes.delete(key), FAILED_PROBE_TTL_MS).unref();
      }
    });
  }
  return probe;
}

function err(error: SandboxError): { Err: SandboxError } {
  return { Err: error };
}

/**
 * Runs policy-approved executions: picks the isolation backend, builds the launch, runs it through the
 * process engine and turns the outcome into the ABI result. One span per execution (command, exit code,
 * duration, byte counts, truncation; never environment values, arguments or stdin).
 */
export class SandboxExecutor {
  readonly #policy: ValidatedSandboxPolicy;
  readonly #isolation: IsolationOptions;

  /**
   * @param policy - the validated policy whose limits apply.
   * @param isolation - isolation backend options (default: bubblewrap).
   */
  constructor(policy: ValidatedSandboxPolicy, isolation: IsolationOptions = {}) {
    this.#policy = policy;
    this.#isolation = isolation;
  }

  /** Whether bubblewrap isolation is usable here (runs the one-time probe). */
  async isolationAvailable(): Promise<BubblewrapAvailability> {
    if (this.#isolation.backend === "none") {
      return { available: false, reason: "isolation disabled by configuration (backend: none)" };
    }
    return probeOnce(this.#isolation);
  }

  /**
   * Executes one approved request.
   * @param approved - the policy's approval (executable, args, env, cwd, stdin).
   * @param signal - aborts the run (kills the process group).
   * @param parent - span to parent the execution span under.
   */
  async execute(approved: ApprovedExec, signal?: AbortSignal, parent?: Span): Promise<ExecResult> {
    const tracer = trace.getTracer(INSTRUMENTATION_NAME);
    const ctx = parent === undefined ? context.active() : trace.setSpan(context.active(), parent);
    const span = tracer.startSpan(
      "platform_sandbox.exec",
      {
        attributes: {
          "sandbox.command": approved.executable,
          "sandbox.args.count": approved.args.length,
          "sandbox.stdin.bytes": approved.stdin?.byteLength ?? 0,
          "sandbox.network": this.#policy.policy.allowNetwork,
        },
      },
      ctx,
    );
    try {
      const launch = await this.#launchFor(approved);
      if ("Err" in launch) {
        span.setAttribute("sandbox.outcome", "refused");
        span.setStatus({ code: SpanStatusCode.ERROR, message: JSON.stringify(launch.Err) });
        return launch;
      }
      span.setAttribute("sandbox.isolation", launch.Ok.statusFd ? "bubblewrap" : "none");
      const policy = this.#policy.policy;
      const outcome = await runProcess(
        launch.Ok,
        {
          timeoutMs: policy.maxExecutionTimeMs,
          maxOutputBytes: policy.maxOutputBytes,
          maxStdinBytes: policy.maxStdinBytes,
        },
        { stdin: approved.stdin, signal },
      );
      recordOutcome(span, outcome);
      return this.#toResult(outcome);
    } catch (error) {
      // Nothing below is expected to throw; if it does, the guest gets an error, never a host crash.
      const message = error instanceof Error ? error.message : String(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      return err({ ExecutionFailed: `internal error: ${message}` });
    } finally {
      span.end();
    }
  }

  async #launchFor(approved: ApprovedExec): Promise<{ Ok: LaunchSpec } | { Err: SandboxError }> {
    const policy = this.#policy.policy;
    // The sandbox's PATH is always the host's choice: the policy's search path.
    const path = approved.env.PATH ?? policy.searchPath.join(":");
    const bare: LaunchSpec = {
      file: approved.executable,
      args: approved.args,
      env: { ...approved.env, PATH: path },
      cwd: approved.cwd,
      statusFd: false,
    };
    const availability = await this.isolationAvailable();
    if (!availability.available) {
      if (policy.requireIsolation) {
        return err({ IsolationUnavailable: availability.reason });
      }
      return { Ok: bare };
    }
    let jailRoot: string;
    try {
      jailRoot = await realpath(policy.workingDirectory);
    } catch (error) {
      return err({
        PolicyViolation: `jail root ${policy.workingDirectory} is not accessible: ${String(error)}`,
      });
    }
    const { PATH: _guestPath, ...env } = approved.env;
    const built = buildBubblewrapLaunch(
      {
        executable: approved.executable,
        args: approved.args,
        env,
        path,
        jailRoot,
        cwd: approved.cwd,
        allowNetwork: policy.allowNetwork,
        timeoutMs: policy.maxExecutionTimeMs,
      },
      availability.config,
    );
    return built.ok ? { Ok: built.launch } : err({ PolicyViolation: built.reason });
  }

  #toResult(outcome: RunOutcome): ExecResult {
    switch (outcome.kind) {
      case "completed":
        return {
          Ok: {
            exit_code: outcome.exitCode,
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            duration_ms: outcome.durationMs,
            stdout_truncated: outcome.stdoutTruncated,
            stderr_truncated: outcome.stderrTruncated,
            signal: outcome.signal,
          },
        };
      case "timeout":
        return err({ Timeout: this.#policy.policy.maxExecutionTimeMs });
      case "aborted":
        return err({ ExecutionFailed: "aborted: the instance was stopped (deadline or disposal)" });
      case "refused":
        return err({ LimitExceeded: outcome.message });
      case "spawn-failed":
      case "stdin-failed":
        return err({ ExecutionFailed: outcome.message });
    }
  }
}

function recordOutcome(span: Span, outcome: RunOutcome): void {
  span.setAttribute("sandbox.outcome", outcome.kind);
  if ("durationMs" in outcome) {
    span.setAttribute("sandbox.duration_ms", outcome.durationMs);
  }
  if (outcome.kind === "completed" || outcome.kind === "timeout") {
    span.setAttributes({
      "sandbox.stdout.bytes": outcome.stdoutBytes,
      "sandbox.stderr.bytes": outcome.stderrBytes,
      "sandbox.stdout.truncated": outcome.stdoutTruncated,
      "sandbox.stderr.truncated": outcome.stderrTruncated,
    });
  }
  if (outcome.kind === "completed") {
    span.setAttribute("process.exit.code", outcome.exitCode);
    if (outcome.signal !== undefined) {
      span.setAttribute("sandbox.signal", outcome.signal);
    }
    span.setAttribute("sandbox.killed_at_output_cap", outcome.killedAtOutputCap);
  } else {
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.kind });
  }
}
