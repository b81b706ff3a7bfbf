import { defineConfig } from 'vitest/config';

// The README walk-through (`npm run test:readme`, the last step of `npm test`): one file, its cases in order,
// each starting real processes, so the timeouts are minutes.
export default defineConfig({
  test: {
    include: ['*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
