/** Stable codes of `@platform-wasm/runtime` errors. Callers branch on these, never on messages. */
export const RuntimeErrorCode = {
  /** The bytes are not a valid WebAssembly module (or could not be compiled/metered). */
  MODULE_COMPILE_FAILED: "MODULE_COMPILE_FAILED",
  /** The module is valid but cannot be run safely: shared, multiple or 64-bit memories (the cap could not hold). */
  MODULE_UNSUPPORTED: "MODULE_UNSUPPORTED",
  /** Imports could not be satisfied (every missing one is listed), or two registrars define the same import. */
  LINK_FAILED: "LINK_FAILED",
  /** The guest lacks an export the operation needs (e.g. `evaluate`, or both `alloc` and `allocate`). */
  MISSING_EXPORT: "MISSING_EXPORT",
  /** The guest trapped (unreachable, out-of-bounds access, stack overflow, …); the message carries the trap. */
  GUEST_TRAP: "GUEST_TRAP",
  /** The instance's wall-clock deadline passed; its worker was terminated. */
  DEADLINE_EXCEEDED: "DEADLINE_EXCEEDED",
  /** The guest hit the memory cap (trap at the cap, or initial memory larger than the cap). */
  MEMORY_LIMIT: "MEMORY_LIMIT",
  /** The instance's fuel budget was spent (deterministic metering). */
  FUEL_EXHAUSTED: "FUEL_EXHAUSTED",
  /** Too many instances are running and the wait queue is full. */
  OVER_CAPACITY: "OVER_CAPACITY",
  /** The guest returned something unusable: an out-of-range pointer, an undecodable output, … */
  INVALID_GUEST_OUTPUT: "INVALID_GUEST_OUTPUT",
  /** The instance (or the runtime) was disposed; no further calls are possible. */
  INSTANCE_DISPOSED: "INSTANCE_DISPOSED",
  /** A `RuntimeConfig`/`InstanceConfig` value is out of range; the message names the field. */
  CONFIG_INVALID: "CONFIG_INVALID",
  /** The runtime itself failed (its worker entry could not be loaded, a worker crashed unexpectedly). */
  RUNTIME_FAILURE: "RUNTIME_FAILURE",
} as const;

/** One of {@link RuntimeErrorCode}. */
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/** Every error the runtime throws or rejects with. `code` is stable; `message` names what was wrong. */
export class RuntimeError extends Error {
  override readonly name: string = "RuntimeError";
  /** Stable machine-readable code. */
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One import the module needs, as `module.name`. */
export interface ImportRef {
  readonly module: string;
  readonly name: string;
}

/** `LINK_FAILED`: lists every missing import and every import defined twice. */
export class LinkError extends RuntimeError {
  override readonly name = "LinkError";
  /** Imports the module needs that no registrar provides (or that the runtime cannot supply). */
  readonly missing: readonly ImportRef[];
  /** Imports defined by more than one registrar (or by a registrar and the runtime, like `take_result`). */
  readonly duplicates: readonly ImportRef[];
  constructor(missing: readonly ImportRef[], duplicates: readonly ImportRef[], detail?: string) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing imports: ${missing.map(fmt).join(", ")}`);
    if (duplicates.length > 0) parts.push(`imports defined twice: ${duplicates.map(fmt).join(", ")}`);
    if (detail !== undefined) parts.push(detail);
    super(RuntimeErrorCode.LINK_FAILED, `link failed: ${parts.join("; ")}`);
    this.missing = missing;
    this.duplicates = duplicates;
  }
}

/** `GUEST_TRAP`: the guest trapped; `trap` is the engine's trap message. */
export class GuestTrapError extends RuntimeError {
  override readonly name = "GuestTrapError";
  /** The trap message, e.g. `unreachable` or `Maximum call stack size exceeded`. */
  readonly trap: string;
  constructor(trap: string, options?: { cause?: unknown }) {
    super(RuntimeErrorCode.GUEST_TRAP, `guest trapped: ${trap}`, options);
    this.trap = trap;
  }
}

function fmt(ref: ImportRef): string {
  return `${ref.module}.${ref.name}`;
}

/**
 * True when `error` is a {@link RuntimeError} (optionally with the given code).
 * @param error - anything caught.
 * @param code - when given, also require this code.
 */
export function isRuntimeError(error: unknown, code?: RuntimeErrorCode): error is RuntimeError {
  return error instanceof RuntimeError && (code === undefined || error.code === code);
}

/** True when `error` is a {@link LinkError}. */
export function isLinkError(error: unknown): error is LinkError {
  return error instanceof LinkError;
}

/** True when `error` is a {@link GuestTrapError}. */
export function isGuestTrapError(error: unknown): error is GuestTrapError {
  return error instanceof GuestTrapError;
}
