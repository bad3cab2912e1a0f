import { printable, type TextOutput } from "./style.js";

/** A progress bar on one terminal line; does nothing unless the output is a TTY. */
export interface ProgressBar {
  /** Redraws with `done` of the total finished and the current item's label. */
  update(done: number, label: string): void;
  /** Clears the line. */
  finish(): void;
}

/**
 * @param output - the stream to draw on (stderr, so stdout stays clean for results).
 * @param total - number of items.
 * @returns a progress bar; a no-op when `output` is not a TTY.
 */
export function createProgressBar(output: TextOutput, total: number): ProgressBar {
  if (output.isTTY !== true || total === 0) return { update() {}, finish() {} };
  const columns = Math.max(40, output.columns ?? 80);
  return {
    update(done, label) {
      const width = Math.min(30, columns - 30);
      const filled = Math.round((done / total) * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      const counter = `${done}/${total}`;
      const room = Math.max(0, columns - width - counter.length - 6);
      const name = printable(label).slice(0, room);
      output.write(`\r\u001b[2K${bar} ${counter} ${name}`);
    },
    finish() {
      output.write("\r\u001b[2K");
    },
  };
}
