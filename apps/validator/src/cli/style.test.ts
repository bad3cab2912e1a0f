import { describe, expect, it } from "vitest";
import { createProgressBar } from "./progress.js";
import { StatusLineOutput } from "./statusLine.js";
import { printable, stylistFor } from "./style.js";
import { renderTable } from "./table.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { output: { isTTY, columns: 80, write: (c: string) => chunks.push(c) }, chunks };
}

describe("stylistFor", () => {
  it("colours a TTY only", () => {
    expect(stylistFor({ isTTY: true, write: () => 0 }, {})("red", "x")).toBe("\u001b[31mx\u001b[39m");
    expect(stylistFor({ isTTY: false, write: () => 0 }, {})("red", "x")).toBe("x");
  });

  it("honours NO_COLOR, TERM=dumb and FORCE_COLOR", () => {
    expect(stylistFor({ isTTY: true, write: () => 0 }, { NO_COLOR: "1" })("red", "x")).toBe("x");
    expect(stylistFor({ isTTY: true, write: () => 0 }, { TERM: "dumb" })("red", "x")).toBe("x");
    expect(stylistFor({ isTTY: false, write: () => 0 }, { FORCE_COLOR: "1" })("bold", "x")).toBe(
      "\u001b[1mx\u001b[22m",
    );
  });
});

describe("printable", () => {
  it("strips escape sequences and control characters from guest text", () => {
    expect(printable("ok\u001b[2J\u001b[31mred\u0007\rdone")).toBe("okred\uFFFD\uFFFDdone");
    expect(printable("tab\tand\nnewline")).toBe("tab\tand\nnewline");
  });
});

describe("createProgressBar", () => {
  it("draws on a TTY and clears the line at the end", () => {
    const { output, chunks } = capture(true);
    const bar = createProgressBar(new StatusLineOutput(output), 4);
    bar.update(2, "b.json");
    bar.finish();
    expect(chunks[0]?.startsWith("\r\u001b[2K")).toBe(true);
    expect(chunks[0]?.slice(5)).toMatch(/^█+░+ 2\/4 b\.json$/);
    expect(chunks.at(-1)).toBe("\r\u001b[2K");
  });

  it("stays silent when not on a TTY", () => {
    const { output, chunks } = capture(false);
    const bar = createProgressBar(new StatusLineOutput(output), 4);
    bar.update(1, "a");
    bar.finish();
    expect(chunks).toEqual([]);
  });
});

describe("StatusLineOutput", () => {
  it("writes other text above the status line and redraws it", () => {
    const { output, chunks } = capture(true);
    const stderr = new StatusLineOutput(output);
    stderr.write("before\n");
    stderr.setStatus("[bar]");
    stderr.write("[span] x\n");
    stderr.clearStatus();
    stderr.write("after\n");
    expect(chunks).toEqual([
      "before\n",
      "\r\u001b[2K[bar]",
      "\r\u001b[2K[span] x\n[bar]",
      "\r\u001b[2K",
      "after\n",
    ]);
  });

  it("never draws a status line on a pipe", () => {
    const { output, chunks } = capture(false);
    const stderr = new StatusLineOutput(output);
    stderr.setStatus("[bar]");
    stderr.write("line\n");
    stderr.clearStatus();
    expect(chunks).toEqual(["line\n"]);
  });
});

describe("renderTable", () => {
  it("aligns columns", () => {
    expect(
      renderTable(
        ["name", "n"],
        [
          ["a", "1"],
          ["bbb", "22"],
        ],
        ["left", "right"],
      ),
    ).toBe("name   n\n────  ──\na      1\nbbb   22\n");
  });
});
