import { devAccountNames } from '@charter/contracts/dev-accounts';
import { expect, type Page } from '@playwright/test';

/** Picks a dev account in the purple bar, by its index; the wallet then shows its demo name. */
export async function useDevAccount(page: Page, index: number): Promise<void> {
  await page.getByLabel('Dev account').selectOption(String(index));
  await page.getByRole('button', { name: /Use dev account|Switch account/ }).click();
  await expect(page.getByRole('link', { name: /Connected as/ })).toContainText(
    devAccountNames[index]!,
  );
}
