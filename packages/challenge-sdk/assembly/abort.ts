// Replacement for AssemblyScript's `env.abort` import (wired with `--use abort=…` in asconfig.json), so a
// challenge module imports nothing outside the ABI's namespaces. The message goes to the validator's logs
// at error level before the trap.
import { log, LogLevel } from "./host";

/** @internal Logs the abort and traps. */
export function sdkAbort(
  message: string | null = null,
  fileName: string | null = null,
  line: u32 = 0,
  column: u32 = 0,
): void {
  let text = "abort: " + (message !== null ? message : "(no message)");
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  log(LogLevel.Error, text);
  unreachable();
}
