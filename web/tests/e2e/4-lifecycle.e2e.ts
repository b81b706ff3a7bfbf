import { expect, test } from '@playwright/test';

import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';
import { advance, indexed } from './tx';
import { expectNoControlCovered } from './uncovered';

test('a dev account delegates, votes with a reason, and carries the approval through to the registry', async ({
  page,
}) => {
  const { proposals, models, accounts, user } = stack();
  const me = accounts[user]!;

  // Pick the dev account; it holds tokens but has not delegated, so it has no votes yet.
  await open(page, `/account/${me}`);
  await page.getByLabel('Dev account').selectOption(String(user));
  await page.getByRole('button', { name: 'Use dev account' }).click();
  await expect(page.getByRole('link', { name: /Connected as/ })).toBeVisible();
  await expect(page.getByTestId('voting-power')).toHaveText('0 CHR');

  await page.getByRole('button', { name: 'Delegate to myself' }).click();
  await indexed(page, 'Delegate to yourself');
  await expect(page.getByTestId('voting-power')).toHaveText('60,000 CHR');

  // Voting opens after the voting delay.
  await open(page, `/proposals/${proposals.approve}`);
  await expect(page.getByTestId('state')).toHaveText('Pending');
  await advance(page, /Voting delay/);
  await expect(page.getByTestId('state')).toHaveText('Active');

  await expect(page.getByTestId('votes-for')).toContainText('0 CHR');
  await page.getByLabel('For', { exact: true }).check();
  await page.getByLabel(/Reason/).fill('Meets every rule of mail-safety v2, by two evaluators.');
  await page.getByRole('button', { name: 'Submit vote' }).click();
  await indexed(page, 'Vote for');
  await expect(page.getByTestId('votes-for')).toContainText('60,000 CHR');
  await expect(page.getByTestId('votes')).toContainText('Meets every rule of mail-safety v2');

  // The transaction's progress covers none of the page's controls while it shows, and leaves by itself.
  await expect(page.locator('section[aria-label="Transactions"] article')).toHaveCount(1);
  await expectNoControlCovered(page);
  await shot(page, 'proposal-voted', false);
  await expect(page.locator('section[aria-label="Transactions"] article')).toHaveCount(0, {
    timeout: 10_000,
  });

  // The account's own vote shows in place of the form, and still does after a reload.
  for (const reload of [false, true]) {
    if (reload) await open(page, `/proposals/${proposals.approve}`);
    const mine = page.getByTestId('my-vote');
    await expect(mine).toContainText('For');
    await expect(mine).toContainText('60,000 CHR');
    await expect(mine).toContainText('Meets every rule of mail-safety v2');
    await expect(page.getByRole('button', { name: 'Submit vote' })).toHaveCount(0);
  }

  // Voting closes; queue; wait out the timelock; execute.
  await advance(page, /Voting period/);
  await expect(page.getByTestId('state')).toHaveText('Succeeded');
  await page.getByRole('button', { name: 'Queue' }).click();
  await indexed(page, 'Queue proposal');
  await expectNoControlCovered(page);
  await expect(page.getByTestId('state')).toHaveText('Queued');

  await advance(page, /Timelock delay/);
  await page.getByRole('button', { name: 'Execute' }).click();
  await indexed(page, 'Execute proposal');
  await expect(page.getByTestId('state')).toHaveText('Executed');
  await shot(page, 'proposal-executed');

  // The registry now lists v2 as mail-guard's approved version.
  await open(page, `/models/${models.v2}`);
  await expect(page.getByTestId('model-status')).toHaveText('Approved');
  // An approved version is not offered for approval again; a candidate is.
  await expect(page.getByRole('link', { name: 'Propose approving' })).toHaveCount(0);
  await open(page, `/models/${models.v1}`);
  await expect(page.getByRole('link', { name: 'Propose approving' })).toBeVisible();
  await open(page, '/models');
  await expect(page.locator('article.family')).toContainText('Approved: v2');
  await shot(page, 'models-after');
});
