import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "search/**/*.test.ts", "server/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/launcher/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    // Two cores: files run two at a time, each on its own database.
    pool: "forks",
    maxWorkers: 2,
    // A guard against hangs, not a speed check: the XSS loops take 15–30 s beside the other file on
    // 2 cores, and a CI machine a little slower than ours pushed one past 30 s (issue 20's CI run).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
