import { expect, type Page } from '@playwright/test';

/** Waits for the newest transaction with this label in the progress panel to reach "indexed". */
export async function indexed(page: Page, label: string): Promise<void> {
  const tx = page
    .locator('section[aria-label="Transactions"] article')
    .filter({ hasText: label })
    .first();
  await expect(tx).toHaveAttribute('data-step', 'indexed', { timeout: 30_000 });
}

/** Moves the dev chain's clock with the purple bar's preset whose label matches. */
export async function advance(page: Page, preset: RegExp): Promise<void> {
  const select = page.getByLabel('Advance time by');
  const value = await select.locator('option', { hasText: preset }).getAttribute('value');
  await select.selectOption(value!);
  await page.getByRole('button', { name: 'Advance time' }).click();
  await expect(page.getByRole('status')).toContainText('Advanced', { timeout: 30_000 });
}
