import { defineConfig } from 'vitest/config';

// Charter on other node implementations than anvil (`npm run test:network`): real nodes, PostgreSQL and the
// CLIs, so the timeouts are minutes.
export default defineConfig({
  test: {
    include: ['*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
