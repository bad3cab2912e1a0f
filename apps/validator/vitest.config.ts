import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: {
    name: "validator",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // End-to-end tests spawn the built CLI and real guests (deadlines of up to a few seconds each).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
