import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: { name: "guest-fixtures", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
