import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: { name: "runtime", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
