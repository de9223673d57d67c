import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['dev/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 60_000 },
});
