import { expect, type Page } from '@playwright/test';

/** Loads a page and waits until it is hydrated, so that its buttons do what JavaScript makes them do. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
}
