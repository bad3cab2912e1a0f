import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@platform-wasm/source"] },
  test: { name: "wire", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
