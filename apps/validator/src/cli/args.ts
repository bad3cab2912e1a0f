import { type ParseArgsConfig, parseArgs } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

import { UsageError } from "../errors.js";

/** Usage text printed by `validator --help` and after usage errors. */
export const USAGE = `Usage:
  validator evaluate <module.wasm> [--input FILE|-] [--policy FILE] [--challenge-id ID]
                     [--timeout-ms N] [--max-memory-mb N] [--fuel N] [--json]
  validator evaluate <module.wasm> --inputs DIR [same options]   score every file in DIR
  validator validate <module.wasm> (same options)
  validator inspect  <module.wasm> [--json]      imports, exports, ABI check
  validator serve    [--port N] [--module-dir DIR]

Environment: VALIDATOR_ID (validator id), VALIDATOR_HOST (serve bind address, default 127.0.0.1),
VALIDATOR_MAX_INSTANCES / VALIDATOR_MAX_QUEUED / VALIDATOR_WORKERS (runtime concurrency),
OTEL_* (OpenTelemetry exporters; default readable telemetry on stderr, OTEL_SDK_DISABLED=true for none).`;

/** Options shared by `evaluate` and `validate`. */
export interface RunCommand {
  readonly command: "evaluate" | "validate";
  readonly module: string;
  /** A file path, or `-` for stdin; absent = empty input. */
  readonly input?: string;
  /** A directory whose every file is one input (batch mode). */
  readonly inputs?: string;
  readonly policy?: string;
  readonly challengeId?: string;
  readonly timeoutMs?: number;
  readonly maxMemoryMb?: number;
  readonly fuel?: number;
  readonly json: boolean;
}

/** `validator inspect`. */
export interface InspectCommand {
  readonly command: "inspect";
  readonly module: string;
  readonly json: boolean;
}

/** `validator serve`. */
export interface ServeCommand {
  readonly command: "serve";
  readonly port: number;
  readonly moduleDir: string;
}

/** `validator --help` / `validator help`. */
export interface HelpCommand {
  readonly command: "help";
}

/** A parsed command line. */
export type Command = RunCommand | InspectCommand | ServeCommand | HelpCommand;

/** Default port of `serve`. */
export const DEFAULT_PORT = 8080;

const RUN_OPTIONS = {
  input: { type: "string" },
  inputs: { type: "string" },
  policy: { type: "string" },
  "challenge-id": { type: "string" },
  "timeout-ms": { type: "string" },
  "max-memory-mb": { type: "string" },
  fuel: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

function integer(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw))
    throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${raw}`);
  }
  return value;
}

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function onePositional(command: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command}: missing <module.wasm>`);
  if (positionals.length > 1)
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[1])}`);
  return positionals[0] as string;
}

/**
 * Parses the command line (without `node` and the script), exactly the contract of DESIGN.md.
 *
 * @param argv - the arguments.
 * @returns the command.
 * @throws UsageError (code `USAGE`) naming the bad argument.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    return { command: "help" };
  }
  switch (command) {
    case "evaluate":
    case "validate": {
      const { values, positionals } = parse(rest, RUN_OPTIONS);
      const module = onePositional(command, positionals);
      if (values.input !== undefined && values.inputs !== undefined) {
        throw new UsageError("--input and --inputs cannot be used together");
      }
      const parsed: {
        -readonly [K in keyof RunCommand]: RunCommand[K];
      } = { command, module, json: values.json === true };
      if (values.input !== undefined) parsed.input = values.input;
      if (values.inputs !== undefined) parsed.inputs = values.inputs;
      if (values.policy !== undefined) parsed.policy = values.policy;
      if (values["challenge-id"] !== undefined) {
        if (values["challenge-id"] === "") throw new UsageError("--challenge-id must not be empty");
        parsed.challengeId = values["challenge-id"];
      }
      const timeoutMs = integer("timeout-ms", values["timeout-ms"], 1, 3_600_000);
      if (timeoutMs !== undefined) parsed.timeoutMs = timeoutMs;
      const maxMemoryMb = integer("max-memory-mb", values["max-memory-mb"], 1, 4096);
      if (maxMemoryMb !== undefined) parsed.maxMemoryMb = maxMemoryMb;
      const fuel = integer("fuel", values.fuel, 1, Number.MAX_SAFE_INTEGER);
      if (fuel !== undefined) parsed.fuel = fuel;
      return parsed;
    }
    case "inspect": {
      const { values, positionals } = parse(rest, { json: { type: "boolean", default: false } } as const);
      return { command, module: onePositional(command, positionals), json: values.json === true };
    }
    case "serve": {
      const { values, positionals } = parse(rest, {
        port: { type: "string" },
        "module-dir": { type: "string" },
      } as const);
      if (positionals.length > 0)
        throw new UsageError(`serve: unexpected argument ${JSON.stringify(positionals[0])}`);
      return {
        command,
        port: integer("port", values.port, 0, 65_535) ?? DEFAULT_PORT,
        moduleDir: values["module-dir"] ?? ".",
      };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/**
 * Whether the raw arguments ask for JSON output, for reporting a usage error in the requested format
 * before the command line could be parsed.
 *
 * @param argv - the raw arguments.
 */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json");
}
