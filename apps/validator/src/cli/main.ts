import { hostname } from "node:os";
import { exitStatusFor } from "../errorBody.js";
import { failureBody } from "../result.js";
import { startTelemetry } from "../telemetry/disabled.js";
import type { TelemetryOptions } from "../telemetry/setup.js";
import { type Command, parseCommandLine, USAGE, wantsJson } from "./args.js";
import type { CliContext } from "./context.js";
import { formatFailure } from "./humanFormat.js";
import { StatusLineOutput } from "./statusLine.js";
import { stylistFor, type TextOutput } from "./style.js";

/** The process resources the CLI uses (injectable for tests). */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * This validator's id: `VALIDATOR_ID` from the environment, else derived from the host name.
 * @param env - the environment.
 * @returns the id.
 */
export function validatorIdFrom(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.VALIDATOR_ID?.trim();
  return configured !== undefined && configured !== "" ? configured : `validator-${hostname()}`;
}

/**
 * Runs the validator CLI: parses the arguments, installs the OpenTelemetry SDK, runs the command and
 * flushes telemetry before returning.
 *
 * @param argv - arguments without `node` and the script.
 * @param io - streams and environment.
 * @param telemetry - extra telemetry options (tests add in-memory exporters).
 * @returns the exit status.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  telemetry: Partial<Omit<TelemetryOptions, "validatorId">> = {},
): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    const body = failureBody(error);
    if (wantsJson(argv)) io.stdout.write(`${JSON.stringify(body)}\n`);
    else io.stderr.write(`${formatFailure(body.error, stylistFor(io.stderr))}\n${USAGE}\n`);
    return exitStatusFor(body.error.code);
  }
  if (command.command === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const validatorId = validatorIdFrom(io.env);
  // Console telemetry and the progress bar share stderr through one status-line-aware stream.
  const stderr = new StatusLineOutput(io.stderr);
  const sdk = await startTelemetry({ env: io.env, sink: stderr, ...telemetry, validatorId });
  const context: CliContext = { ...io, stderr, validatorId, logger: sdk.logger };
  try {
    switch (command.command) {
      // Commands are loaded on demand: the host functions pull in process and HTTP machinery that help
      // and usage errors should not wait for.
      case "evaluate":
      case "validate":
        return await (await import("./commands/run.js")).runEvaluate(command, context);
      case "inspect":
        return await (await import("./commands/inspect.js")).runInspect(command, context);
      case "serve":
        return await (await import("./commands/serve.js")).runServe(command, context);
    }
  } finally {
    await sdk.shutdown();
  }
}
