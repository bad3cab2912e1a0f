// `platform_sandbox` message types and their MessagePack layout (ABI v1).
import { EnumTag, FieldSet, readKey } from "./fields";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";
import { decodeStrings, encodeStrings, StringMap } from "./stringMap";

/** A command to run under the instance's sandbox policy (`SandboxExecRequest`). */
export class SandboxExecRequest {
  /** Command name or path; the host resolves it to an absolute path before the allow-list check. */
  command: string;
  /** Arguments (no shell interpretation). */
  args: string[];
  /** Extra environment; the policy's whitelist decides what passes. */
  env: StringMap = new StringMap();
  /** Bytes written to the process's stdin, or `null` for none. */
  stdin: Uint8Array | null = null;
  /** Working directory inside the policy's jail, or `null` for the jail root. */
  workingDirectory: string | null = null;

  constructor(command: string, args: string[] = []) {
    this.command = command;
    this.args = args;
  }

  /** Sets stdin to the UTF-8 bytes of `text`; returns the request for chaining. */
  withStdinText(text: string): SandboxExecRequest {
    this.stdin = Uint8Array.wrap(String.UTF8.encode(text));
    return this;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(5);
    w.writeString("command");
    w.writeString(this.command);
    w.writeString("args");
    encodeStrings(w, this.args);
    w.writeString("env");
    this.env.encode(w);
    w.writeString("stdin");
    w.writeOptionalBin(this.stdin);
    w.writeString("working_directory");
    w.writeOptionalString(this.workingDirectory);
  }

  /** @internal */
  static decode(r: Reader): SandboxExecRequest | null {
    const out = new SandboxExecRequest("");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "command") {
        if (fields.mark(r, 0, key)) out.command = r.readString();
      } else if (key == "args") {
        if (fields.mark(r, 1, key)) out.args = decodeStrings(r);
      } else if (key == "env") {
        if (fields.mark(r, 2, key)) out.env = StringMap.decode(r);
      } else if (key == "stdin") {
        if (fields.mark(r, 3, key)) out.stdin = r.readOptionalBin();
      } else if (key == "working_directory") {
        if (fields.mark(r, 4, key)) out.workingDirectory = r.readOptionalString();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "command");
    fields.require(r, 1, "args");
    fields.require(r, 2, "env");
    return r.ok ? out : null;
  }
}

/** How a command ended (`SandboxExecResponse`). */
export class SandboxExecResponse {
  /** Exit status (-1 when killed by a signal). */
  exitCode: i32 = 0;
  /** Captured stdout, at most the policy's `max_output_bytes`. */
  stdout: Uint8Array = new Uint8Array(0);
  /** Captured stderr, at most the policy's `max_output_bytes`. */
  stderr: Uint8Array = new Uint8Array(0);
  /** Wall-clock duration in milliseconds. */
  durationMs: u64 = 0;
  /** True when stdout was cut at the cap. */
  stdoutTruncated: bool = false;
  /** True when stderr was cut at the cap. */
  stderrTruncated: bool = false;
  /** Name of the terminating signal, or `null`. */
  signal: string | null = null;

  /** stdout decoded as UTF-8 (invalid sequences replaced). */
  stdoutText(): string {
    return String.UTF8.decodeUnsafe(this.stdout.dataStart, <usize>this.stdout.byteLength);
  }

  /** stderr decoded as UTF-8 (invalid sequences replaced). */
  stderrText(): string {
    return String.UTF8.decodeUnsafe(this.stderr.dataStart, <usize>this.stderr.byteLength);
  }

  /** True when the process exited with status 0 and no signal. */
  get success(): bool {
    return this.exitCode == 0 && this.signal === null;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(7);
    w.writeString("exit_code");
    w.writeI64(<i64>this.exitCode);
    w.writeString("stdout");
    w.writeBin(this.stdout);
    w.writeString("stderr");
    w.writeBin(this.stderr);
    w.writeString("duration_ms");
    w.writeU64(this.durationMs);
    w.writeString("stdout_truncated");
    w.writeBool(this.stdoutTruncated);
    w.writeString("stderr_truncated");
    w.writeBool(this.stderrTruncated);
    w.writeString("signal");
    w.writeOptionalString(this.signal);
  }

  /** @internal */
  static decode(r: Reader): SandboxExecResponse | null {
    const out = new SandboxExecResponse();
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "exit_code") {
        if (fields.mark(r, 0, key)) out.exitCode = <i32>r.readRange(i32.MIN_VALUE, i32.MAX_VALUE);
      } else if (key == "stdout") {
        if (fields.mark(r, 1, key)) out.stdout = r.readBin();
      } else if (key == "stderr") {
        if (fields.mark(r, 2, key)) out.stderr = r.readBin();
      } else if (key == "duration_ms") {
        if (fields.mark(r, 3, key)) out.durationMs = r.readU64();
      } else if (key == "stdout_truncated") {
        if (fields.mark(r, 4, key)) out.stdoutTruncated = r.readBool();
      } else if (key == "stderr_truncated") {
        if (fields.mark(r, 5, key)) out.stderrTruncated = r.readBool();
      } else if (key == "signal") {
        if (fields.mark(r, 6, key)) out.signal = r.readOptionalString();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "exit_code");
    fields.require(r, 1, "stdout");
    fields.require(r, 2, "stderr");
    fields.require(r, 3, "duration_ms");
    fields.require(r, 4, "stdout_truncated");
    fields.require(r, 5, "stderr_truncated");
    return r.ok ? out : null;
  }
}

/** Variants of `SandboxError` (ABI v1), plus `HostProtocol` for a host answer the SDK could not read. */
export enum SandboxErrorKind {
  /** The policy disables `sandbox_exec`. */
  SandboxDisabled = 0,
  /** The command is not on the allow-list (or is blocked); `detail` names it. */
  CommandNotAllowed = 1,
  /** The command ran past the time limit; `amount` is the limit in ms. */
  Timeout = 2,
  /** Output exceeded the cap; `amount` is the cap in bytes. */
  OutputTooLarge = 3,
  /** The process could not be started or failed; `detail` says why. */
  ExecutionFailed = 4,
  /** The request broke a policy rule (e.g. working directory outside the jail). */
  PolicyViolation = 5,
  /** A per-instance budget (e.g. `max_executions`) is used up. */
  LimitExceeded = 6,
  /** Network isolation was required but is not available on this validator. */
  IsolationUnavailable = 7,
  /** The host could not decode the request. */
  InvalidRequest = 8,
  /** Not an ABI variant: the host's answer was not a readable envelope (or the call returned -1). */
  HostProtocol = 9,
}

const SANDBOX_ERROR_NAMES: string[] = [
  "SandboxDisabled",
  "CommandNotAllowed",
  "Timeout",
  "OutputTooLarge",
  "ExecutionFailed",
  "PolicyViolation",
  "LimitExceeded",
  "IsolationUnavailable",
  "InvalidRequest",
  "HostProtocol",
];

/** A `platform_sandbox` error. */
export class SandboxError {
  constructor(
    /** Which variant. */
    public kind: SandboxErrorKind,
    /** The variant's text (command name, reason); `""` for unit and numeric variants. */
    public detail: string = "",
    /** The variant's number (`Timeout` ms, `OutputTooLarge` bytes); 0 otherwise. */
    public amount: u64 = 0,
  ) {}

  /** The variant's wire name, e.g. `"CommandNotAllowed"`. */
  get name(): string {
    return SANDBOX_ERROR_NAMES[<i32>this.kind];
  }

  /** `Name` or `Name: detail` / `Name: amount`. */
  toString(): string {
    if (this.kind == SandboxErrorKind.SandboxDisabled) return this.name;
    if (this.kind == SandboxErrorKind.Timeout || this.kind == SandboxErrorKind.OutputTooLarge) {
      return this.name + ": " + this.amount.toString();
    }
    return this.name + ": " + this.detail;
  }

  /** @internal */
  encode(w: Writer): void {
    if (this.kind == SandboxErrorKind.SandboxDisabled) {
      w.writeString(this.name);
      return;
    }
    w.writeMapHeader(1);
    w.writeString(this.name);
    if (this.kind == SandboxErrorKind.Timeout || this.kind == SandboxErrorKind.OutputTooLarge) {
      w.writeU64(this.amount);
    } else w.writeString(this.detail);
  }

  /** @internal */
  static decode(r: Reader): SandboxError | null {
    const tag = EnumTag.read(r);
    if (!r.ok) return null;
    const name = tag.name;
    if (name == "SandboxDisabled") {
      if (tag.hasData) r.skip();
      return r.ok ? new SandboxError(SandboxErrorKind.SandboxDisabled) : null;
    }
    // Data variants: the unit form (a bare string) is a type error, as in serde.
    for (let kind = 1; kind < SANDBOX_ERROR_NAMES.length - 1; kind++) {
      if (name != SANDBOX_ERROR_NAMES[kind]) continue;
      if (!tag.hasData) {
        r.fail("variant `" + name + "` needs data");
        return null;
      }
      const error = new SandboxError(<SandboxErrorKind>kind);
      if (kind == SandboxErrorKind.Timeout || kind == SandboxErrorKind.OutputTooLarge) error.amount = r.readU64();
      else error.detail = r.readString();
      if (!r.ok) {
        r.within(name);
        return null;
      }
      return error;
    }
    r.fail("unknown SandboxError variant `" + name + "`");
    return null;
  }
}
