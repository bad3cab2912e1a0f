import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: { name: "challenge-sdk", include: ["test/**/*.test.ts"] },
});
