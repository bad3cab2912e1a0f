import type { TextOutput } from "./style.js";

const CLEAR_LINE = "\r\u001b[2K";

/**
 * A terminal stream with one status line at the bottom (the `--inputs` progress bar). Anything else
 * written through it — telemetry lines on stderr, for instance — appears above the status line: the line
 * is cleared, the text written, and the status redrawn, so the two never garble each other.
 */
export class StatusLineOutput implements TextOutput {
  readonly #out: TextOutput;
  #status = "";

  /** @param out - the underlying stream (stderr). */
  constructor(out: TextOutput) {
    this.#out = out;
  }

  /** Whether the underlying stream is a terminal. */
  get isTTY(): boolean {
    return this.#out.isTTY === true;
  }

  /** Terminal width, when known. */
  get columns(): number | undefined {
    return this.#out.columns;
  }

  /** Writes text above the status line. */
  write(chunk: string): unknown {
    if (this.#status === "") return this.#out.write(chunk);
    return this.#out.write(`${CLEAR_LINE}${chunk}${this.#status}`);
  }

  /** Draws (or replaces) the status line; a no-op unless the stream is a terminal. */
  setStatus(text: string): void {
    if (!this.isTTY) return;
    this.#status = text;
    this.#out.write(`${CLEAR_LINE}${text}`);
  }

  /** Removes the status line. */
  clearStatus(): void {
    if (this.#status === "") return;
    this.#status = "";
    this.#out.write(CLEAR_LINE);
  }
}
