import { expect, test, type Page } from '@playwright/test';

import { useDevAccount } from './devAccount';
import { evaluators } from './seed';
import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';

const report = 'tests/fixtures/over-blocking.report.json';
const txPanel = (page: Page) => page.locator('section[aria-label="Transactions"] article').first();

test('an evaluator uploads a report; a duplicate is refused in words, a signed one is relayed', async ({
  page,
}) => {
  await open(page, '/evaluations/submit');
  await useDevAccount(page, evaluators[0]!.index);
  await page.getByLabel('Report file (JSON)').setInputFiles(report);
  await expect(page.getByText('checks out')).toBeVisible();
  await page
    .getByLabel('Where the report is published')
    .fill('https://reports.example/over-blocking.json');

  // Evaluator one already posted this very report: the registry's custom error, decoded, before signing.
  await page.getByRole('button', { name: 'Submit result' }).click();
  await expect(txPanel(page)).toHaveAttribute('data-step', 'failed');
  await expect(txPanel(page)).toContainText(
    /This report \(0x9dd3…c0b5\) is already the evaluator's live result/,
  );
  await shot(page, 'submit-refused');

  // Evaluator two signs it (EIP-712 Submission) and relays the signature.
  await useDevAccount(page, evaluators[1]!.index);
  await page.getByLabel(/Sign as the evaluator/).check();
  await page.getByRole('button', { name: 'Sign submission' }).click();
  await expect(page.locator('.sig')).toHaveText(/^0x[0-9a-f]{130}$/);
  await page.getByRole('button', { name: /Relay now/ }).click();
  await expect(txPanel(page)).toHaveAttribute('data-step', 'indexed', { timeout: 30_000 });

  const { accounts, models } = stack();
  await open(
    page,
    `/evaluations?evaluator=${accounts[evaluators[1]!.index]!.toLowerCase()}&model=${models.v2}`,
  );
  const newest = page.getByTestId('results').locator('tbody tr').first();
  await expect(newest).toContainText('over-blocking');
  await expect(newest).toContainText('0.1111');
  await shot(page, 'evaluations-after');
});
