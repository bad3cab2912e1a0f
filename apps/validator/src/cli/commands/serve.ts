import { stat } from "node:fs/promises";
import path from "node:path";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { exitStatusFor } from "../../errorBody.js";
import { ValidatorError, ValidatorErrorCode } from "../../errors.js";
import { WasmChallengeExecutor } from "../../executor/executor.js";
import { failureBody } from "../../result.js";
import { ValidatorServer } from "../../server/server.js";
import type { ServeCommand } from "../args.js";
import type { CliContext } from "../context.js";
import { formatFailure } from "../humanFormat.js";
import { runtimeConfigFromEnv } from "../runtimeEnv.js";
import { stylistFor } from "../style.js";

/** Signals that start a graceful drain. */
export const DRAIN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * `validator serve`: runs the HTTP service until SIGTERM/SIGINT, then drains in-flight evaluations,
 * stops the runtime and returns. A second signal during the drain exits at once with status 1.
 *
 * @param command - the parsed command.
 * @param context - streams and identity.
 * @param signals - where drain signals come from (default the process).
 * @param exit - ends the process when a second signal arrives during the drain (default `process.exit`).
 * @returns 0 after a clean drain; 1 when the service could not start.
 */
export async function runServe(
  command: ServeCommand,
  context: CliContext,
  signals: NodeJS.EventEmitter = process,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<number> {
  const moduleDir = path.resolve(command.moduleDir);
  const isDir = await stat(moduleDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    const error = new ValidatorError(
      ValidatorErrorCode.MODULE_NOT_FOUND,
      `module directory ${JSON.stringify(moduleDir)} does not exist`,
    );
    context.stderr.write(formatFailure(failureBody(error).error, stylistFor(context.stderr)));
    return exitStatusFor(error.code);
  }
  let executor: WasmChallengeExecutor;
  try {
    executor = new WasmChallengeExecutor({
      validatorId: context.validatorId,
      moduleDir,
      runtime: runtimeConfigFromEnv(context.env),
    });
  } catch (error) {
    const body = failureBody(error);
    context.stderr.write(formatFailure(body.error, stylistFor(context.stderr)));
    return exitStatusFor(body.error.code);
  }
  const server = new ValidatorServer({
    executor,
    host: context.env.VALIDATOR_HOST ?? "127.0.0.1",
    port: command.port,
    logger: context.logger,
  });
  let address: Awaited<ReturnType<ValidatorServer["listen"]>>;
  try {
    address = await server.listen();
  } catch (error) {
    await executor.close();
    context.stderr.write(formatFailure(failureBody(error).error, stylistFor(context.stderr)));
    return 1;
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  context.stdout.write(`validator listening on http://${host}:${address.port} (modules: ${moduleDir})\n`);
  context.logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: "INFO",
    body: "validator service listening",
    attributes: { "server.address": address.address, "server.port": address.port, "module.dir": moduleDir },
  });

  const handlers = new Map<string, () => void>();
  const signal = await new Promise<string>((resolve) => {
    for (const name of DRAIN_SIGNALS) {
      const handler = () => resolve(name);
      handlers.set(name, handler);
      signals.on(name, handler);
    }
  });
  for (const [name, handler] of handlers) signals.off(name, handler);
  // A second signal while draining means "stop now": the operator gave up waiting.
  const force = (name: string) => () => {
    context.stderr.write(`${name} during drain: exiting without waiting for in-flight work\n`);
    exit(1);
  };
  const forceHandlers = new Map(DRAIN_SIGNALS.map((name) => [name, force(name)] as const));
  for (const [name, handler] of forceHandlers) signals.once(name, handler);
  context.stdout.write(`${signal}: draining ${server.inFlight} in-flight request(s)\n`);
  await server.close();
  await executor.close();
  context.logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: "INFO",
    body: "validator service stopped",
    attributes: { signal },
  });
  for (const [name, handler] of forceHandlers) signals.off(name, handler);
  context.stdout.write("validator stopped\n");
  return 0;
}
