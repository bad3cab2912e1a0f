import type { Logger } from "@opentelemetry/api-logs";
import type { StatusLineOutput } from "./statusLine.js";
import type { TextOutput } from "./style.js";

/** What a command needs from its process: streams, environment and identity. */
export interface CliContext {
  readonly stdout: TextOutput;
  /** stderr, with a status line for progress; telemetry written to it appears above the line. */
  readonly stderr: StatusLineOutput;
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This validator's id. */
  readonly validatorId: string;
  /** Logger for app log records (OpenTelemetry). */
  readonly logger: Logger;
}
