import { defineConfig } from "vitest/config";

// One root config; each workspace package with tests is a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
