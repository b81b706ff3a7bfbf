import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    // onnxruntime-node is a native addon: child processes isolate it better than worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
