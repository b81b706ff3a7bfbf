import { devAccountNames } from '@charter/contracts/dev-accounts';
import { expect, test } from '@playwright/test';

import { useDevAccount } from './devAccount';
import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';

test('a vote cast elsewhere appears on an open page without a reload', async ({
  page,
  browser,
}) => {
  const { proposals } = stack();
  await open(page, `/proposals/${proposals.revoke}`);
  await expect(page.getByTestId('votes-against')).toContainText('0 CHR');
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));

  // Someone else, in another browser, votes against with a reason.
  const other = await (await browser.newContext()).newPage();
  await open(other, `/proposals/${proposals.revoke}`);
  await useDevAccount(other, 1);
  await other.getByRole('radio', { name: 'Against' }).check();
  await other.getByLabel(/Reason/).fill('Revocation is final; deprecating would do.');
  await other.getByRole('button', { name: 'Submit vote' }).click();

  // The first page learns of it from the indexer's stream.
  await expect(page.getByTestId('votes-against')).toContainText('160,000 CHR');
  await expect(page.getByTestId('votes')).toContainText(
    'Revocation is final; deprecating would do.',
  );
  expect(loads).toEqual([]);
  await other.context().close();
});

test('a guided form makes a proposal that reads back in words', async ({ page }) => {
  const { accounts } = stack();
  await open(page, '/proposals/new?kind=admit-evaluator');
  await useDevAccount(page, 1);
  await page.getByLabel('Title').fill('Admit Harbor Labs as an evaluator');
  await page
    .getByLabel(/Description/)
    .fill('Harbor Labs has run the bundled suites for a year.\n\n- GPU-backed\n- reproducible');
  await page.getByLabel('Evaluator address').fill(accounts[8]!);
  await page.getByLabel('Name').fill('Harbor Labs');
  await expect(page.getByTestId('action-words')).toHaveText(
    /Admit Harbor Labs \(0x.*\) as an evaluator/,
  );
  await page.getByRole('button', { name: 'Create proposal' }).click();

  await expect(page).toHaveURL(/\/proposals\/\d+$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Admit Harbor Labs as an evaluator',
  );
  await expect(page.getByTestId('state')).toHaveText('Pending');
  await expect(page.getByTestId('description').getByRole('listitem')).toHaveCount(2);
});

test('the governance forms: a maintainer transfer reads back in words, a guardian change must stand alone', async ({
  page,
}) => {
  const { accounts } = stack();
  const dave = accounts[devAccountNames.indexOf('dave')]!;
  await open(page, '/proposals/new?kind=set-maintainer');
  await useDevAccount(page, devAccountNames.indexOf('alice'));
  await page.getByLabel('Title').fill('Hand mail-guard to dave');
  await page.getByLabel('Model family').fill('mail-guard');
  await page.getByLabel('New maintainer').fill(dave);
  await expect(page.getByTestId('action-words')).toHaveText(
    /^Make 0x.{4}….{4} the maintainer of family mail-guard$/,
  );

  // A guardian term beside it: the governor would refuse the proposal, so the form does first.
  await page.getByRole('button', { name: 'Add another action' }).click();
  await page.locator('#a1-kind').selectOption('set-guardian-term');
  await page.getByLabel('Term ends (UTC date)').fill('2030-01-01');
  await expect(page.getByTestId('action-words').nth(1)).toHaveText(
    'Let the guardian act until 2030-01-01 00:00 UTC',
  );
  await expect(page.getByTestId('proposal-problem')).toContainText(
    'Action 2 changes the guardian or its term: such a proposal must do nothing else',
  );
  await expect(page.getByRole('button', { name: 'Create proposal' })).toBeDisabled();
  await shot(page, 'new-proposal-governance');

  await page.getByRole('button', { name: 'Remove action 2' }).click();
  await expect(page.getByTestId('proposal-problem')).toHaveCount(0);
  await page.getByRole('button', { name: 'Create proposal' }).click();
  await expect(page).toHaveURL(/\/proposals\/\d+$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hand mail-guard to dave');
  await expect(page.getByText('Set maintainer', { exact: true })).toBeVisible();
});
