// The SDK codec against @platform-wasm/wire's golden vectors — the exact bytes Rust rmp-serde produces,
// which every ABI codec (wire's, this SDK's) is held to. Each vector's bytes go into the guest, are
// decoded by the SDK and re-encoded; the result must be the same bytes.
import { goldenVectors } from "@platform-wasm/wire/golden";
import { beforeAll, describe, expect, it } from "vitest";
import { CodecHarness } from "./support/codecHarness.js";

let harness: CodecHarness;
beforeAll(async () => {
  harness = await CodecHarness.load();
});

describe("SDK codec on the golden vectors of @platform-wasm/wire", () => {
  it("has vectors for every message kind", () => {
    const kinds = new Set(goldenVectors.map((v) => v.kind));
    expect(kinds.size).toBe(15);
  });

  it.each(goldenVectors.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    const result = harness.roundtrip(vector.kind, Uint8Array.from(Buffer.from(vector.hex, "hex")));
    if (!result.ok) throw new Error(`SDK rejected the golden bytes: ${result.error}`);
    expect(Buffer.from(result.bytes).toString("hex")).toBe(vector.hex);
  });
});
