import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig } from '@playwright/test';

// The full-lifecycle test: the whole stack as `npm start` runs it (globalSetup), driven in Debian's Chromium,
// since Playwright cannot download its own browser on these machines.
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  globalSetup: './globalSetup.ts',
  // Traces and failure context, outside the repository.
  outputDir: join(tmpdir(), 'charter-e2e-results'),
  workers: 1,
  fullyParallel: false,
  // The two evaluators need a minute or two on two cores before the first evidence appears.
  timeout: 420_000,
  expect: { timeout: 30_000 },
  reporter: 'list',
  use: {
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
