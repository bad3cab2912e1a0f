/** A writable text stream with an optional TTY flag (process.stdout / process.stderr, or a test double). */
export interface TextOutput {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number | undefined;
}

/** ANSI styles used by the human output. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** Applies styles, or returns text unchanged when colours are off. */
export type Stylist = (style: Style, text: string) => string;

/**
 * A stylist for `output`: colours only when it is a TTY and neither `NO_COLOR` is set nor `TERM=dumb`
 * (FORCE_COLOR=1 forces them on), so pipes, files and CI logs get plain text.
 *
 * @param output - the stream the text will be written to.
 * @param env - the environment (default `process.env`).
 * @returns the stylist.
 */
export function stylistFor(
  output: TextOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Stylist {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const enabled = forced || (output.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb");
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/**
 * Removes ANSI escape sequences and other control characters from text that came from a guest or a file
 * name, so it cannot move the cursor or restyle the terminal.
 *
 * @param text - untrusted text.
 * @returns printable text.
 */
export function printable(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(CONTROL_CHARACTER, "\uFFFD");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
