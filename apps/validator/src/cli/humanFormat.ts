import type { ErrorBody } from "../errorBody.js";
import type { ExecutionMetrics, ExecutionOutput } from "../executor/types.js";
import { printable, type Stylist } from "./style.js";

/**
 * @param bytes - a byte count.
 * @returns e.g. `64 KiB`, `1.5 MiB`.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * @param metrics - evaluation metrics.
 * @returns one line: time, memory, executions, requests, fuel.
 */
export function formatMetrics(metrics: ExecutionMetrics): string {
  const fuel = metrics.fuel_consumed === null ? "not metered" : String(metrics.fuel_consumed);
  return [
    `${metrics.execution_time_ms.toFixed(2)} ms`,
    `memory ${formatBytes(metrics.memory_used_bytes)}`,
    `sandbox executions ${metrics.sandbox_executions}`,
    `network requests ${metrics.network_requests}`,
    `fuel ${fuel}`,
  ].join(" · ");
}

/**
 * Human report of one result.
 * @param kind - the command.
 * @param output - the guest's verdict.
 * @param metrics - its metrics.
 * @param style - stylist for the output stream.
 * @returns the text, newline-terminated.
 */
export function formatSuccess(
  kind: "evaluate" | "validate",
  output: ExecutionOutput,
  metrics: ExecutionMetrics,
  style: Stylist,
): string {
  const verdict = output.valid
    ? style("green", style("bold", "VALID  "))
    : style("yellow", style("bold", "INVALID"));
  const head =
    kind === "evaluate"
      ? `${verdict} score ${style("bold", String(output.score))}  ${printable(output.message)}`
      : `${verdict} ${printable(output.message)}`;
  return `${head}\n        ${style("dim", formatMetrics(metrics))}\n`;
}

/**
 * Human report of a failure.
 * @param error - the error body.
 * @param style - stylist for the output stream.
 * @returns the text, newline-terminated.
 */
export function formatFailure(error: ErrorBody, style: Stylist): string {
  return `${style("red", style("bold", "error"))} ${style("bold", error.code)}: ${printable(error.message)}\n`;
}
