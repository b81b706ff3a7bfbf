// The evidence game on the proposal page: a fresh result waits out its challenge window with a live
// countdown (distinct from a missing result), anyone disputes one of its samples from the form, paying the
// dispute bond, the resolver (the security council) rejects or upholds from the buttons it alone sees, a
// rejected disputer cannot dispute that result again, and an upheld dispute strikes the result and slashes
// the evaluator, as its evaluator page shows.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { anvilPrivateKey, DevChain, evidenceRegistryAbi } from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import { reportDigest, shortNameToBytes32 } from '@charter/contracts/protocol';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { useDevAccount } from './devAccount';
import { open } from './open';
import { evaluators, guardian } from './seed';
import { shot } from './shot';
import { stack } from './stackInfo';
import { advance, indexed } from './tx';

test.describe.configure({ mode: 'serial' });

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, '../fixtures/over-blocking.report.json');
const reportsDir = join(here, '../../.data/e2e/reports');
const [one, two] = evaluators as [(typeof evaluators)[0], (typeof evaluators)[0]];
const dave = devAccountNames.indexOf('dave');
const erin = devAccountNames.indexOf('erin');

/**
 * A re-run of the real over-blocking report of mail-guard v2 with another setting (so another digest, the
 * same samples and root), published as a file: the web server reads file:// reports on a dev chain.
 */
function publishReport(dtype: string): { digest: `0x${string}`; uri: string; report: Report } {
  const report = JSON.parse(readFileSync(fixture, 'utf8')) as Report;
  report.runner = { ...report.runner, dtype };
  report.digest = reportDigest(report);
  mkdirSync(reportsDir, { recursive: true });
  const path = join(reportsDir, `over-blocking-${dtype}.json`);
  writeFileSync(path, JSON.stringify(report));
  return { digest: report.digest, uri: pathToFileURL(path).href, report };
}
interface Report {
  digest: `0x${string}`;
  samplesRoot: `0x${string}`;
  runner: Record<string, unknown>;
  model: { digest: `0x${string}` };
  suite: { id: `0x${string}` };
  metrics: { id: string; value: string }[];
  samples: { id: string; label: number; prediction: number; score: string }[];
}

async function postResult(evaluatorIndex: number, dtype: string) {
  const { rpcUrl, deployment } = stack();
  const { uri, report } = publishReport(dtype);
  await new DevChain(rpcUrl, deployment).send(anvilPrivateKey(evaluatorIndex), {
    address: deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'submitResult',
    args: [
      {
        modelId: report.model.digest,
        suiteId: report.suite.id,
        metricIds: report.metrics.map((m) => shortNameToBytes32(m.id)),
        values: report.metrics.map((m) => BigInt(m.value)),
        reportDigest: report.digest,
        samplesRoot: report.samplesRoot,
        uri,
      },
    ],
  });
  return report;
}

/** The evaluator's row under rule 2 (over-blocking) of the approval of mail-guard v2. */
const row = (page: Page, evaluatorIndex: number): Locator =>
  page.locator(
    `#rule-2 [data-testid="result-row"][data-evaluator="${stack().accounts[evaluatorIndex]!.toLowerCase()}"]`,
  );

async function fileDispute(page: Page, sampleId: string) {
  await row(page, two.index).getByRole('button', { name: 'Dispute' }).click();
  const form = row(page, two.index).getByTestId('dispute-form');
  await form.getByLabel(/^Sample/).selectOption(sampleId);
  await expect(form.getByTestId('committed-sample')).toContainText('prediction 0');
  // The other answer is offered; the disputer names its own report.
  await expect(form.getByLabel('Your prediction')).toHaveValue('1');
  await form.getByLabel("Your report's digest").fill(`0x${'d1'.repeat(32)}`);
  await form
    .getByLabel('Where your report is published')
    .fill('https://reports.example/over-blocking-rerun.json');
  await form.getByRole('button', { name: /Dispute sample, paying 0\.1 ETH/ }).click();
}

let samples: Report['samples'] = [];

test('a fresh result waits out its challenge window: the page counts it down, distinct from missing', async ({
  page,
}) => {
  samples = (await postResult(two.index, 'fp16')).samples;
  await postResult(one.index, 'int8');
  await open(page, `/proposals/${stack().proposals.approve}`);

  for (const evaluator of [one, two]) {
    await expect(row(page, evaluator.index).getByTestId('standing')).toHaveText('In window');
    await expect(row(page, evaluator.index).getByTestId('window')).toContainText(
      /Counts from \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in (2 d 23 h|3 d)\)/,
    );
    await expect(row(page, evaluator.index).getByTestId('bond')).toContainText('1 ETH');
  }
  // The countdown moves with the clock while the page is open.
  const countdown = row(page, two.index).getByTestId('countdown');
  const before = Number(await countdown.getAttribute('data-left'));
  await expect
    .poll(async () => Number(await countdown.getAttribute('data-left')), { timeout: 5_000 })
    .toBeLessThan(before);
  await shot(page, 'evidence-window');
});

test('anyone disputes a sample from the form, paying the dispute bond; the page shows both outcomes', async ({
  page,
}) => {
  await open(page, `/proposals/${stack().proposals.approve}`);
  await useDevAccount(page, dave);
  await fileDispute(page, samples[0]!.id);
  await indexed(page, 'Dispute result');

  await expect(row(page, two.index).getByTestId('standing')).toHaveText('Disputed');
  const dispute = page.locator('#rule-2 [data-testid="dispute"]').first();
  await expect(dispute).toContainText(`of sample ${samples[0]!.id} by`);
  await expect(dispute).toContainText('bond 0.1 ETH');
  await expect(dispute.getByTestId('committed')).toContainText(/Prediction\s*0/);
  await expect(dispute.getByTestId('claimed')).toContainText(/Prediction\s*1/);
  await expect(
    dispute.getByTestId('claimed').getByRole('link', { name: /0xd1d1/ }),
  ).toHaveAttribute('href', 'https://reports.example/over-blocking-rerun.json');
  // Only the resolver sees the resolve buttons.
  await expect(dispute.getByTestId('resolve-buttons')).toHaveCount(0);
  await shot(page, 'dispute-filed');

  // Governance can resolve it too: the proposal form lists it among the open disputes.
  await open(page, '/proposals/new?kind=resolve-dispute');
  await expect(
    page.getByLabel('Open dispute').locator('option', { hasText: `sample ${samples[0]!.id}` }),
  ).toHaveCount(1);
});

test('the proposal form sets the evidence game, starting from the parameters in force', async ({
  page,
}) => {
  await open(page, '/proposals/new?kind=set-game-parameters');
  await expect(page.getByLabel('Challenge period (days)')).toHaveValue('3');
  await expect(page.getByLabel('Minimum evaluator bond (ETH)')).toHaveValue('1');
  await expect(page.getByLabel('Dispute bond (ETH)')).toHaveValue('0.1');
  await page.getByLabel('Challenge period (days)').fill('1');
  await expect(page.getByText(/results count 1 d after they are posted/)).toBeVisible();
  await page.getByLabel('Unbonding delay (days)').fill('0.5');
  await expect(
    page.getByText('The unbonding delay must be longer than the challenge period'),
  ).toBeVisible();
  await shot(page, 'new-proposal-evidence-game');
});

test('the resolver rejects from its buttons; the rejected disputer cannot dispute that result again', async ({
  page,
}) => {
  await open(page, `/proposals/${stack().proposals.approve}`);
  await useDevAccount(page, guardian);
  const dispute = page.locator('#rule-2 [data-testid="dispute"][data-status="open"]').first();
  await expect(dispute.getByTestId('resolve-buttons')).toBeVisible();
  await shot(page, 'dispute-resolve-buttons');
  await dispute.getByRole('button', { name: /^Reject/ }).click();
  await indexed(page, 'Reject dispute');
  const rejected = page.locator('#rule-2 [data-testid="dispute"][data-status="rejected"]').first();
  await expect(rejected.getByTestId('payout')).toContainText(
    "the disputer's bond (0.1 ETH) goes to the evaluator",
  );
  await expect(row(page, two.index).getByTestId('standing')).toHaveText('In window');

  // The same disputer again: the registry refuses, in words, before anything is signed.
  await useDevAccount(page, dave);
  await fileDispute(page, samples[1]!.id);
  const tx = page.locator('section[aria-label="Transactions"] article').first();
  await expect(tx).toHaveAttribute('data-step', 'failed');
  await expect(tx).toContainText('cannot dispute it again');
});

test('an upheld dispute strikes the result and slashes the evaluator, as its page shows', async ({
  page,
}) => {
  await open(page, `/proposals/${stack().proposals.approve}`);
  await useDevAccount(page, erin);
  await fileDispute(page, samples[1]!.id);
  await indexed(page, 'Dispute result');

  await useDevAccount(page, guardian);
  const dispute = page.locator('#rule-2 [data-testid="dispute"][data-status="open"]').first();
  await dispute.getByRole('button', { name: /^Uphold/ }).click();
  await indexed(page, 'Uphold dispute');
  await expect(row(page, two.index).getByTestId('standing')).toHaveText('Struck');
  await expect(
    page.locator('#rule-2 [data-testid="dispute"][data-status="upheld"]').getByTestId('payout'),
  ).toContainText('1 ETH slashed from the evaluator, 0.6 ETH to the disputer');

  await open(page, `/evaluators/${stack().accounts[two.index]}`);
  await expect(page.getByTestId('stake')).toContainText(/Bonded\s*0 ETH/);
  await expect(page.getByTestId('stake')).toContainText(/Slashed, all told\s*1 ETH/);
  await expect(page.getByRole('heading', { name: 'Upheld disputes against it' })).toBeVisible();
  await expect(page.locator('[data-testid="dispute"][data-status="upheld"]')).toHaveCount(1);
  await expect(page.getByTestId('bond-history')).toContainText('Slashed');
  await shot(page, 'evaluator-slashed');
});

test('once its window has passed, an undisputed result counts', async ({ page }) => {
  await open(page, `/proposals/${stack().proposals.approve}`);
  await advance(page, /Challenge period/);
  await expect(row(page, one.index).getByTestId('standing')).toHaveText('Counts');
  await expect(row(page, one.index).getByTestId('window')).toContainText('Counted since');
});
