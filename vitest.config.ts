import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'server/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database tests share one PostgreSQL database through per-test schemas; files run in parallel workers.
    pool: 'forks',
    maxWorkers: 2,
  },
});
