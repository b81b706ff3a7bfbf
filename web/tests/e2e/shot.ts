import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

/**
 * Where the tests save their pictures: an ignored folder, so that a test run never changes tracked files.
 * `npm run screenshots -w web` points this at screenshots/ (the pictures the READMEs show) on purpose.
 */
export const screenshotDir = process.env.CHARTER_SCREENSHOTS ?? '.data/screenshots';

export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage });
}
