// Typed `platform_sandbox.sandbox_exec`.
import { readEnvelopeTag, sandboxExecExchange } from "./host";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";
import { err, ok, Result } from "./result";
import { SandboxError, SandboxErrorKind, SandboxExecRequest, SandboxExecResponse } from "./sandboxTypes";

/** Runs `request` under the instance's sandbox policy. Never traps: every failure is an `Err`. */
export function sandboxExec(request: SandboxExecRequest): Result<SandboxExecResponse, SandboxError> {
  const w = new Writer();
  request.encode(w);
  const answer = sandboxExecExchange(w.finish());
  if (answer.problem.length > 0) {
    return err<SandboxExecResponse, SandboxError>(new SandboxError(SandboxErrorKind.HostProtocol, answer.problem));
  }
  const r = new Reader(answer.bytes);
  const tag = readEnvelopeTag(r);
  if (tag == 0) {
    const response = SandboxExecResponse.decode(r);
    r.expectEnd();
    if (response !== null && r.ok) return ok<SandboxExecResponse, SandboxError>(response);
  } else if (tag == 1) {
    const error = SandboxError.decode(r);
    r.expectEnd();
    if (error !== null && r.ok) return err<SandboxExecResponse, SandboxError>(error);
  }
  return err<SandboxExecResponse, SandboxError>(
    new SandboxError(
      SandboxErrorKind.HostProtocol,
      "unreadable sandbox_exec envelope (" + answer.bytes.length.toString() + " bytes): " + r.error,
    ),
  );
}

/** Runs `command args…` with no stdin, environment or working directory. */
export function exec(command: string, args: string[] = []): Result<SandboxExecResponse, SandboxError> {
  return sandboxExec(new SandboxExecRequest(command, args));
}
