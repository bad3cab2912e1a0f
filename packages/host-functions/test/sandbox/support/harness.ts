import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { trace } from "@opentelemetry/api";
import { defaultSandboxPolicy, type SandboxPolicy } from "@platform-wasm/policy";
import type { HostCall, InstanceIdentity } from "@platform-wasm/runtime";
import {
  encodeMessage,
  type SandboxError,
  type SandboxExecRequest,
  type SandboxExecResponse,
  type WireResult,
} from "@platform-wasm/wire";
import type { SandboxHostFunctionsOptions } from "../../../src/sandbox/sandboxHostFunctions.js";
import { SandboxHostFunctions } from "../../../src/sandbox/sandboxHostFunctions.js";
import type { SandboxState } from "../../../src/sandbox/sandboxState.js";

/** Identity used by handler-level tests. */
export const instance: InstanceIdentity = {
  instanceId: "i-1",
  challengeId: "challenge-1",
  validatorId: "validator-1",
  restartId: "r-1",
  configVersion: 1,
};

/** A jail directory the sandbox uid (65534 when the tests run as root) can enter and write. */
export interface TestDirs {
  readonly jail: string;
  /** A directory outside the jail with test-controlled programs. */
  readonly bin: string;
  cleanup(): Promise<void>;
}

/** Creates a jail and a bin directory with `tool` (prints its args) and `rmlink` (symlink to /usr/bin/rm). */
export async function makeDirs(): Promise<TestDirs> {
  const root = await mkdtemp(path.join(os.tmpdir(), "sbx-test-"));
  await chmod(root, 0o755);
  const jail = path.join(root, "jail");
  const bin = path.join(root, "bin");
  await mkdir(jail);
  await mkdir(bin);
  // World-writable so the unprivileged sandbox uid can write into its jail.
  await chmod(jail, 0o777);
  await chmod(bin, 0o755);
  await writeFile(path.join(bin, "tool"), '#!/bin/sh\nprintf "tool:%s\\n" "$@"\n', { mode: 0o755 });
  await symlink("/usr/bin/rm", path.join(bin, "rmlink"));
  return { jail, bin, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A policy over `jail` allowing `commands`, everything else at the secure defaults. */
export function policyFor(
  jail: string,
  commands: string[],
  extra: Partial<SandboxPolicy> = {},
): SandboxPolicy {
  return {
    ...defaultSandboxPolicy(),
    allowedCommands: commands,
    workingDirectory: jail,
    maxExecutionTimeMs: 10_000,
    ...extra,
  };
}

/** Builds a HostCall for `state` (a real no-op span; an optional abort signal). */
export function hostCall(
  state: SandboxState,
  signal: AbortSignal = new AbortController().signal,
): HostCall<SandboxState> {
  return { state, instance, signal, span: trace.getTracer("test").startSpan("host-call") };
}

/** A registrar plus one instance state, driven through the `sandbox_exec` handler like the runtime does. */
export function sandbox(options: SandboxHostFunctionsOptions) {
  const registrar = new SandboxHostFunctions(options);
  const state = registrar.createState(instance);
  return {
    registrar,
    state,
    exec(
      request: Partial<SandboxExecRequest> & { command: string },
      signal?: AbortSignal,
    ): Promise<WireResult<SandboxExecResponse, SandboxError>> {
      const full: SandboxExecRequest = {
        args: [],
        env: {},
        stdin: undefined,
        working_directory: undefined,
        ...request,
      };
      return registrar.handleSandboxExec(encodeMessage(full), hostCall(state, signal));
    },
  };
}

/** UTF-8 text of bytes. */
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The Ok value, or a failed expectation showing the error. */
export function ok(result: WireResult<SandboxExecResponse, SandboxError>): SandboxExecResponse {
  if ("Ok" in result) {
    return result.Ok;
  }
  throw new Error(`expected Ok, got ${JSON.stringify(result.Err)}`);
}
