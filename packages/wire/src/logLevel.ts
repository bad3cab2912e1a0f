/** Guest log levels of `platform_sandbox.log_message`. */
export const LogLevel = {
  Trace: 0,
  Debug: 1,
  Info: 2,
  Warn: 3,
  Error: 4,
} as const;

/** One of the {@link LogLevel} values. */
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/**
 * Maps a guest-supplied i32 to a log level; anything unknown is `Info` (the reference's rule).
 * @example logLevelFromI32(3) === LogLevel.Warn; logLevelFromI32(99) === LogLevel.Info
 */
export function logLevelFromI32(value: number): LogLevel {
  switch (value) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return value;
    default:
      return LogLevel.Info;
  }
}

/** Lowercase name of a level (`"trace"` … `"error"`). */
export function logLevelName(level: LogLevel): "trace" | "debug" | "info" | "warn" | "error" {
  return (["trace", "debug", "info", "warn", "error"] as const)[level];
}
