import { defineConfig } from 'vitest/config';

/** Unit tests of the client's pure logic: node environment, no browser (CI has none). */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'server/**/*.test.ts'],
  },
});
