import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: {
    name: "challenge-sdk",
    include: ["test/**/*.test.ts"],
    // The take_result tests start worker threads and move multi-megabyte envelopes on a shared machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
