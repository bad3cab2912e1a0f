import path from "node:path";
import { type ErrorBody, exitStatusFor, toErrorBody } from "../../errorBody.js";
import { WasmChallengeExecutor } from "../../executor/executor.js";
import type { ExecutionRequest, ExecutionResult } from "../../executor/types.js";
import { failureBody, successBody } from "../../result.js";
import type { RunCommand } from "../args.js";
import type { CliContext } from "../context.js";
import { formatFailure, formatSuccess } from "../humanFormat.js";
import { listInputFiles, readInput } from "../inputFiles.js";
import { createProgressBar } from "../progress.js";
import { printable, stylistFor } from "../style.js";
import { renderTable } from "../table.js";

function requestOf(command: RunCommand, input: Uint8Array): ExecutionRequest {
  const overrides: { timeoutMs?: number; maxMemoryMb?: number; fuel?: number } = {};
  if (command.timeoutMs !== undefined) overrides.timeoutMs = command.timeoutMs;
  if (command.maxMemoryMb !== undefined) overrides.maxMemoryMb = command.maxMemoryMb;
  if (command.fuel !== undefined) overrides.fuel = command.fuel;
  const request: { -readonly [K in keyof ExecutionRequest]: ExecutionRequest[K] } = { input, overrides };
  if (command.challengeId !== undefined) request.challengeId = command.challengeId;
  if (command.policy !== undefined) request.policyPath = command.policy;
  return request;
}

function execute(
  executor: WasmChallengeExecutor,
  command: RunCommand,
  input: Uint8Array,
): Promise<ExecutionResult> {
  const request = requestOf(command, input);
  return command.command === "evaluate"
    ? executor.executeEvaluation(command.module, request)
    : executor.executeValidation(command.module, request);
}

/**
 * `validator evaluate|validate`: one input (`--input FILE|-`, or none) or a directory of inputs
 * (`--inputs DIR`).
 *
 * @param command - the parsed command.
 * @param context - streams and identity.
 * @returns the exit status: 0 on success, 1 when the evaluation (or any batch item) failed.
 */
export async function runEvaluate(command: RunCommand, context: CliContext): Promise<number> {
  const executor = new WasmChallengeExecutor({ validatorId: context.validatorId });
  try {
    if (command.inputs !== undefined) return await runBatch(executor, command, command.inputs, context);
    return await runSingle(executor, command, context);
  } finally {
    await executor.close();
  }
}

async function runSingle(
  executor: WasmChallengeExecutor,
  command: RunCommand,
  context: CliContext,
): Promise<number> {
  try {
    const input = await readInput(command.input, context.stdin);
    const result = await execute(executor, command, input);
    if (command.json) context.stdout.write(`${JSON.stringify(successBody(result))}\n`);
    else
      context.stdout.write(
        formatSuccess(command.command, result.output, result.metrics, stylistFor(context.stdout)),
      );
    return 0;
  } catch (error) {
    const body = failureBody(error);
    if (command.json) context.stdout.write(`${JSON.stringify(body)}\n`);
    else context.stderr.write(formatFailure(body.error, stylistFor(context.stderr)));
    return exitStatusFor(body.error.code);
  }
}

type BatchItem =
  | { readonly input: string; readonly ok: true; readonly result: ExecutionResult }
  | { readonly input: string; readonly ok: false; readonly error: ErrorBody };

async function runBatch(
  executor: WasmChallengeExecutor,
  command: RunCommand,
  dir: string,
  context: CliContext,
): Promise<number> {
  let files: string[];
  try {
    files = await listInputFiles(dir);
  } catch (error) {
    return reportFailure(command, context, error);
  }
  const progress = createProgressBar(context.stderr, command.json ? 0 : files.length);
  const items: BatchItem[] = [];
  // One at a time: the runtime already parallelises inside an evaluation's worker, and sequential runs
  // keep the summary deterministic and the machine responsive.
  for (const [index, file] of files.entries()) {
    const name = path.basename(file);
    progress.update(index, name);
    try {
      const input = await readInput(file, context.stdin);
      items.push({ input: name, ok: true, result: await execute(executor, command, input) });
    } catch (error) {
      items.push({ input: name, ok: false, error: toErrorBody(error) });
    }
  }
  progress.update(files.length, "");
  progress.finish();

  const succeeded = items.filter((i): i is Extract<BatchItem, { ok: true }> => i.ok);
  const failed = items.length - succeeded.length;
  const valid = succeeded.filter((i) => i.result.output.valid).length;
  const numericScores = succeeded.map((i) => Number(i.result.output.score));
  const meanScore =
    numericScores.length === 0 ? null : numericScores.reduce((a, b) => a + b, 0) / numericScores.length;
  const summary = { inputs: items.length, succeeded: succeeded.length, failed, valid, mean_score: meanScore };

  if (command.json) {
    const results = items.map((item) =>
      item.ok
        ? { input: item.input, ...successBody(item.result) }
        : { input: item.input, ok: false, error: item.error },
    );
    context.stdout.write(`${JSON.stringify({ ok: failed === 0, results, summary })}\n`);
  } else {
    const style = stylistFor(context.stdout);
    const rows = items.map((item) =>
      item.ok
        ? [
            printable(item.input),
            String(item.result.output.score),
            item.result.output.valid ? "yes" : "no",
            item.result.metrics.execution_time_ms.toFixed(2),
            printable(item.result.output.message).slice(0, 60),
          ]
        : [
            printable(item.input),
            "-",
            "-",
            "-",
            `${item.error.code}: ${printable(item.error.message).slice(0, 60)}`,
          ],
    );
    const table = renderTable(
      ["input", "score", "valid", "time ms", "result"],
      rows,
      ["left", "right", "left", "right", "left"],
      (cell, row, column) => {
        if (row === -1) return style("bold", cell);
        const item = items[row];
        if (column === 4 && item !== undefined && !item.ok) return style("red", cell);
        if (column === 2) return cell.trim() === "yes" ? style("green", cell) : style("yellow", cell);
        return cell;
      },
    );
    context.stdout.write(table);
    const mean = meanScore === null ? "n/a" : meanScore.toFixed(2);
    context.stdout.write(
      `${items.length} inputs · ${succeeded.length} succeeded · ${failed} failed · ${valid} valid · mean score ${mean}\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}

function reportFailure(command: RunCommand, context: CliContext, error: unknown): number {
  const body = failureBody(error);
  if (command.json) context.stdout.write(`${JSON.stringify(body)}\n`);
  else context.stderr.write(formatFailure(body.error, stylistFor(context.stderr)));
  return exitStatusFor(body.error.code);
}
