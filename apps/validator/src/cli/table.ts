/** Column alignment. */
export type Align = "left" | "right";

/**
 * Renders rows as an aligned plain-text table (header, rule, rows). Widths are measured on the text
 * without ANSI styling, so callers style cells after layout via `decorate`.
 *
 * @param header - column titles.
 * @param rows - cells, one array per row (same length as the header).
 * @param align - per-column alignment (default left).
 * @param decorate - styles a laid-out cell (row index -1 for the header).
 * @returns the table, one line per row, each ending in a newline.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
  decorate: (cell: string, row: number, column: number) => string = (cell) => cell,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[], row: number) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const padded = align[column] === "right" ? cell.padStart(width) : cell.padEnd(width);
        return decorate(padded, row, column);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header, -1), rule, ...rows.map((row, i) => line(row, i))].map((l) => `${l}\n`).join("");
}
