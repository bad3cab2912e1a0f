import type { StatusLineOutput } from "./statusLine.js";
import { printable } from "./style.js";

/** A progress bar on the status line of a terminal; does nothing unless the output is a TTY. */
export interface ProgressBar {
  /** Redraws with `done` of the total finished and the current item's label. */
  update(done: number, label: string): void;
  /** Removes the bar. */
  finish(): void;
}

/**
 * @param output - the stream to draw on (stderr, so stdout stays clean for results).
 * @param total - number of items.
 * @returns a progress bar; a no-op when `output` is not a TTY.
 */
export function createProgressBar(output: StatusLineOutput, total: number): ProgressBar {
  if (!output.isTTY || total === 0) return { update() {}, finish() {} };
  const columns = Math.max(40, output.columns ?? 80);
  return {
    update(done, label) {
      const width = Math.min(30, columns - 30);
      const filled = Math.round((done / total) * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      const counter = `${done}/${total}`;
      const room = Math.max(0, columns - width - counter.length - 6);
      output.setStatus(`${bar} ${counter} ${printable(label).slice(0, room)}`);
    },
    finish() {
      output.clearStatus();
    },
  };
}
