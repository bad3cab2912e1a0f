import { isAbsolute } from "node:path";
import type { SandboxExecRequest } from "@platform-wasm/wire";
import type { SandboxDecision } from "./decision.js";
import { PolicyError } from "./errors.js";
import { allow, denySandbox, totalSandbox } from "./internal/decide.js";
import { deepFreeze } from "./internal/deepFreeze.js";
import {
  checkBoolean,
  checkInteger,
  checkObject,
  checkStringArray,
  describe,
  MAX_TIMER_MS,
} from "./internal/fieldChecks.js";
import {
  type CommandEntry,
  commandTextProblem,
  isAllowedBy,
  isBlockedBy,
  isBlockedByName,
  resolveCommandPath,
  toCommandEntry,
} from "./internal/sandbox/commandResolver.js";
import { filterEnvironmentEntries } from "./internal/sandbox/environment.js";
import { escapeHatchReason, isDangerousEnvironmentVariable } from "./internal/sandbox/escapeHatches.js";
import { resolveInsideJail } from "./internal/sandbox/workingDirectory.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import type { ApprovedExec, ValidatedSandboxPolicy } from "./validatedSandboxPolicy.js";

/** Longest guest text echoed back inside an ABI error. */
const MAX_ECHO = 256;

function echo(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

function checkCommandList(field: string, value: unknown): string[] {
  const list = checkStringArray(field, value);
  list.forEach((entry, index) => {
    const problem = commandTextProblem(entry);
    if (problem !== undefined) throw new PolicyError(`${field}[${index}]`, `${describe(entry)} ${problem}`);
    if (entry.trim() !== entry)
      throw new PolicyError(`${field}[${index}]`, `${describe(entry)} has surrounding whitespace`);
    if (entry === "." || entry === ".." || entry.endsWith("/")) {
      throw new PolicyError(`${field}[${index}]`, `${describe(entry)} is not a command`);
    }
  });
  return list;
}

function checkAbsolutePath(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0)
    throw new PolicyError(field, "must be a non-empty path");
  if (value.includes("\0")) throw new PolicyError(field, "contains a NUL byte");
  if (!isAbsolute(value)) throw new PolicyError(field, `${describe(value)} must be an absolute path`);
  return value;
}

function checkEnvironmentNames(field: string, value: unknown): string[] {
  const list = checkStringArray(field, value);
  list.forEach((name, index) => {
    if (name.length === 0 || name.includes("=") || name.includes("\0")) {
      throw new PolicyError(`${field}[${index}]`, `${describe(name)} is not an environment variable name`);
    }
  });
  return list;
}

function checkSearchPath(field: string, value: unknown): string[] {
  const list = checkStringArray(field, value);
  list.forEach((dir, index) => {
    checkAbsolutePath(`${field}[${index}]`, dir);
    // The list doubles as the child's PATH, which is colon-separated.
    if (dir.includes(":")) throw new PolicyError(`${field}[${index}]`, `${describe(dir)} contains ':'`);
  });
  return list;
}

/** Field-by-field check; returns a deep copy made only of validated values. */
function checkPolicy(input: SandboxPolicy): SandboxPolicy {
  const p = checkObject("", input);
  return {
    enabled: checkBoolean("enabled", p.enabled),
    allowedCommands: checkCommandList("allowedCommands", p.allowedCommands),
    blockedCommands: checkCommandList("blockedCommands", p.blockedCommands),
    maxExecutionTimeMs: checkInteger("maxExecutionTimeMs", p.maxExecutionTimeMs, 1, MAX_TIMER_MS),
    maxOutputBytes: checkInteger("maxOutputBytes", p.maxOutputBytes, 0),
    maxStdinBytes: checkInteger("maxStdinBytes", p.maxStdinBytes, 0),
    maxExecutions: checkInteger("maxExecutions", p.maxExecutions, 0),
    maxArgs: checkInteger("maxArgs", p.maxArgs, 0),
    maxArgBytes: checkInteger("maxArgBytes", p.maxArgBytes, 0),
    allowNetwork: checkBoolean("allowNetwork", p.allowNetwork),
    workingDirectory: checkAbsolutePath("workingDirectory", p.workingDirectory),
    environmentWhitelist: checkEnvironmentNames("environmentWhitelist", p.environmentWhitelist),
    requireIsolation: checkBoolean("requireIsolation", p.requireIsolation),
    searchPath: checkSearchPath("searchPath", p.searchPath),
  };
}

function collectWarnings(policy: SandboxPolicy): string[] {
  const warnings: string[] = [];
  const blocked = new Set(policy.blockedCommands);
  for (const command of policy.allowedCommands) {
    if (blocked.has(command)) {
      warnings.push(`allowedCommands: ${JSON.stringify(command)} is also blocked; the block list wins`);
      continue;
    }
    const hatch = escapeHatchReason(command);
    if (hatch !== undefined) {
      warnings.push(
        `allowedCommands: ${JSON.stringify(command)} ${hatch}; allowing it lets the guest run any program, which makes the allow-list moot`,
      );
    }
  }
  for (const name of policy.environmentWhitelist) {
    if (isDangerousEnvironmentVariable(name)) {
      warnings.push(
        `environmentWhitelist: ${JSON.stringify(name)} lets the guest inject code into every command`,
      );
    }
  }
  if (policy.allowNetwork) warnings.push("allowNetwork: commands may use the network");
  if (!policy.requireIsolation) {
    warnings.push(
      "requireIsolation: false — without an isolation backend commands run with the host's network and filesystem view",
    );
  }
  if (policy.workingDirectory === "/") warnings.push("workingDirectory: '/' jails nothing");
  return warnings;
}

class CheckedSandboxPolicy implements ValidatedSandboxPolicy {
  readonly policy: Readonly<SandboxPolicy>;
  readonly warnings: readonly string[];
  readonly #allowed: readonly CommandEntry[];
  readonly #blocked: readonly CommandEntry[];
  readonly #whitelist: ReadonlySet<string>;
  readonly #childPath: string;

  constructor(policy: SandboxPolicy) {
    this.policy = deepFreeze(policy);
    this.warnings = Object.freeze(collectWarnings(policy));
    this.#allowed = policy.allowedCommands.map(toCommandEntry);
    this.#blocked = policy.blockedCommands.map(toCommandEntry);
    this.#whitelist = new Set(policy.environmentWhitelist);
    this.#childPath = policy.searchPath.join(":");
  }

  resolveCommand(command: string): SandboxDecision<string> {
    return totalSandbox(() => this.#resolveCommand(command));
  }

  #resolveCommand(command: unknown): SandboxDecision<string> {
    if (typeof command !== "string")
      return denySandbox({ InvalidRequest: "command is not a string" }, "command is not a string");
    const refuse = (reason: string) =>
      denySandbox({ CommandNotAllowed: echo(command) }, `${JSON.stringify(echo(command))}: ${reason}`);
    const problem = commandTextProblem(command);
    if (problem !== undefined && !problem.startsWith("is a relative path")) {
      return denySandbox({ InvalidRequest: `command ${problem}` }, `command ${problem}`);
    }
    if (this.#blocked.some((entry) => isBlockedByName(entry, command)))
      return refuse("blocked by blockedCommands");
    if (this.#allowed.length === 0) return refuse("no command is allowed (allowedCommands is empty)");
    const resolved = resolveCommandPath(command, this.policy.searchPath);
    if (!resolved.ok) return refuse(resolved.failure.reason);
    const cmd = resolved.value;
    const searchPath = this.policy.searchPath;
    if (this.#blocked.some((entry) => isBlockedBy(entry, cmd, searchPath))) {
      return refuse(`resolves to ${cmd.canonical}, which is blocked by blockedCommands`);
    }
    if (!this.#allowed.some((entry) => isAllowedBy(entry, cmd, searchPath))) {
      return refuse(`resolves to ${cmd.canonical}, which allowedCommands does not allow`);
    }
    return allow(cmd.canonical);
  }

  resolveWorkingDirectory(requested: string | undefined): SandboxDecision<string> {
    return totalSandbox(() => {
      const result = resolveInsideJail(this.policy.workingDirectory, requested);
      if (result.ok) return allow(result.path);
      switch (result.kind) {
        case "invalid":
          return denySandbox({ InvalidRequest: result.reason }, result.reason);
        case "unavailable":
          return denySandbox(
            { ExecutionFailed: result.reason },
            `${result.reason}: ${this.policy.workingDirectory}`,
          );
        default:
          // One message for the guest whatever the cause, so refusals do not reveal what exists outside.
          return denySandbox(
            { PolicyViolation: "working_directory must be an existing directory inside the sandbox" },
            `${JSON.stringify(echo(String(requested)))}: ${result.reason}`,
          );
      }
    });
  }

  filterEnvironment(env: Record<string, string>): Record<string, string> {
    try {
      return filterEnvironmentEntries(env, this.#whitelist);
    } catch {
      // A hostile object (throwing getters, proxies) passes nothing.
      return {};
    }
  }

  checkExecRequest(req: SandboxExecRequest): SandboxDecision<ApprovedExec> {
    return totalSandbox(() => this.#checkExecRequest(req));
  }

  #checkExecRequest(input: unknown): SandboxDecision<ApprovedExec> {
    const policy = this.policy;
    if (!policy.enabled) return denySandbox("SandboxDisabled", "the sandbox is disabled by policy");
    if (input === null || typeof input !== "object") {
      return denySandbox({ InvalidRequest: "request is not a map" }, "request is not a map");
    }
    const req = input as Partial<Record<keyof SandboxExecRequest, unknown>>;
    const command = this.#resolveCommand(req.command);
    if (!command.allowed) return command;

    const args = req.args ?? [];
    if (!Array.isArray(args))
      return denySandbox({ InvalidRequest: "args is not a list" }, "args is not a list");
    if (args.length > policy.maxArgs) {
      const reason = `${args.length} arguments exceed maxArgs ${policy.maxArgs}`;
      return denySandbox({ LimitExceeded: reason }, reason);
    }
    let argBytes = 0;
    for (const [index, arg] of args.entries()) {
      if (typeof arg !== "string")
        return denySandbox(
          { InvalidRequest: `args[${index}] is not a string` },
          `args[${index}] is not a string`,
        );
      if (arg.includes("\0"))
        return denySandbox(
          { InvalidRequest: `args[${index}] contains a NUL byte` },
          `args[${index}] contains a NUL byte`,
        );
      argBytes += Buffer.byteLength(arg, "utf8");
    }
    if (argBytes > policy.maxArgBytes) {
      const reason = `arguments total ${argBytes} bytes, over maxArgBytes ${policy.maxArgBytes}`;
      return denySandbox({ LimitExceeded: reason }, reason);
    }

    const stdin = req.stdin ?? undefined;
    if (stdin !== undefined && !(stdin instanceof Uint8Array)) {
      return denySandbox({ InvalidRequest: "stdin is not bytes" }, "stdin is not bytes");
    }
    if (stdin !== undefined && stdin.byteLength > policy.maxStdinBytes) {
      const reason = `stdin of ${stdin.byteLength} bytes exceeds maxStdinBytes ${policy.maxStdinBytes}`;
      return denySandbox({ LimitExceeded: reason }, reason);
    }

    const workingDirectory = req.working_directory ?? undefined;
    const cwd = this.resolveWorkingDirectory(workingDirectory as string | undefined);
    if (!cwd.allowed) return cwd;

    const env = this.filterEnvironment((req.env ?? {}) as Record<string, string>);
    if (this.#whitelist.has("PATH")) env.PATH = this.#childPath;

    return allow({ executable: command.value, args: [...(args as string[])], env, cwd: cwd.value, stdin });
  }
  checkExecutionBudget(executionsMade: number): SandboxDecision<number> {
    const max = this.policy.maxExecutions;
    if (max === 0) return denySandbox({ LimitExceeded: "sandbox executions disabled" }, "maxExecutions is 0");
    if (typeof executionsMade !== "number" || !(executionsMade < max)) {
      return denySandbox(
        { LimitExceeded: `execution limit of ${max} reached` },
        `execution limit exceeded: ${String(executionsMade)}/${max}`,
      );
    }
    return allow(max - executionsMade - 1);
  }
}

/**
 * Checks a sandbox policy and returns its enforceable form. The policy is copied, so later changes to
 * the argument have no effect.
 * @throws PolicyError (`POLICY_INVALID`) naming the bad field, e.g. `allowedCommands[2]`.
 * @example
 * const sandbox = validateSandboxPolicy({ ...defaultSandboxPolicy(), allowedCommands: ["cat"] });
 * sandbox.resolveCommand("cat"); // { allowed: true, value: "/usr/bin/cat" }
 */
export function validateSandboxPolicy(policy: SandboxPolicy): ValidatedSandboxPolicy {
  return new CheckedSandboxPolicy(checkPolicy(policy));
}
