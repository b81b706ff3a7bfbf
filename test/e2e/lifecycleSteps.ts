// The steps of a proposal's life as a person takes them in the web app: pick a dev account, wait for a
// transaction to be indexed, advance time. For the browser tests of `npm start` (lifecycle.e2e.ts) and of the
// web app (web/tests/e2e/), so that a change to the UI is followed in one place.
import { devAccountNames, type DevAccountName } from '@charter/contracts/dev-accounts';
import { expect, type Page } from '@playwright/test';

/** Picks a dev account in the dev bar by the name `npm start` prints (alice, bob…). */
export async function useDevAccount(page: Page, name: DevAccountName): Promise<void> {
  const index = devAccountNames.indexOf(name);
  await page.getByLabel('Dev account').selectOption(String(index));
  await page.getByRole('button', { name: /Use dev account|Switch account/ }).click();
  await expect(page.getByRole('link', { name: /Connected as/ })).toContainText(
    new RegExp(`\\b${name}\\b|Dev account ${index}\\b`, 'i'),
  );
}

/** Waits for the newest transaction labelled so in the progress panel to reach "indexed". */
export async function indexed(page: Page, label: string, timeout = 60_000): Promise<void> {
  const tx = page
    .locator('section[aria-label="Transactions"] article')
    .filter({ hasText: label })
    .first();
  await expect(tx).toHaveAttribute('data-step', 'indexed', { timeout });
}

/** Advances the dev chain's clock by one of the dev bar's presets ("Voting period", "Timelock delay"…). */
export async function advance(page: Page, preset: RegExp, timeout = 60_000): Promise<void> {
  const select = page.getByLabel('Advance time by');
  const value = await select.locator('option', { hasText: preset }).getAttribute('value');
  await select.selectOption(value!);
  await page.getByRole('button', { name: 'Advance time' }).click();
  await expect(page.getByRole('status')).toContainText('Advanced', { timeout });
}

/**
 * On /notifications, with a dev account picked: signs in with Ethereum, subscribes `url` to the events
 * whose labels match `events` (for `family`), and returns the signing secret the page shows once.
 */
export async function subscribeWebhook(
  page: Page,
  url: string,
  { events, family }: { events: RegExp[]; family: string },
): Promise<string> {
  await page.getByRole('button', { name: 'Sign in with Ethereum' }).click();
  await expect(page.getByTestId('sign-in')).toContainText('Signed in as');
  await page.getByLabel('Webhook URL').fill(url);
  for (const event of events) await page.getByRole('checkbox', { name: event }).check();
  await page.getByRole('checkbox', { name: family, exact: true }).check();
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByTestId('secret')).toBeVisible();
  const secret = (await page.getByTestId('secret').textContent())?.trim() ?? '';
  expect(secret).not.toBe('');
  return secret;
}

/** The newest delivery of `type` in the log of the subscription to `url`, on /notifications. */
export function delivery(page: Page, url: string, type: string) {
  return page
    .getByTestId('subscription')
    .filter({ hasText: url })
    .locator(`[data-testid="deliveries"] tr[data-type="${type}"]`)
    .first();
}
