import { defineConfig } from 'vitest/config';

/** The fault suite: checker self-tests and the short seeded run (npm test -w @cr/e2e). */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
