import { defineConfig } from 'vitest/config';

// Each test file starts anvil and databases; two cores are shared with other work, so files run one at a
// time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
