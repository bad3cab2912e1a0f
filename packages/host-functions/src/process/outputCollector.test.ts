import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputCollector } from "./outputCollector.js";

describe("OutputCollector", () => {
  it("keeps at most the cap, counts everything, flags truncation", () => {
    fc.assert(
      fc.property(
        fc.nat(200),
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }),
        (cap, chunks) => {
          const collector = new OutputCollector(cap);
          for (const chunk of chunks) collector.push(chunk);
          const all = Buffer.concat(chunks);
          const kept = collector.bytes();
          expect(kept.byteLength).toBe(Math.min(cap, all.byteLength));
          expect(Buffer.from(kept).equals(all.subarray(0, kept.byteLength))).toBe(true);
          expect(collector.bytesSeen).toBe(all.byteLength);
          expect(collector.truncated).toBe(all.byteLength > cap);
        },
      ),
    );
  });

  it("copies the chunk that crosses the cap instead of keeping its whole buffer", () => {
    const collector = new OutputCollector(3);
    const big = new Uint8Array(1 << 20);
    expect(collector.push(big)).toBe(true);
    expect(collector.bytes().buffer.byteLength).toBe(3);
  });
});
