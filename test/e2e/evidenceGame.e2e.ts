// Issue 13's demonstration on the stack that `npm start` runs: a griefer's wrong dispute of an honest result
// is rejected and costs it its bond, and it cannot dispute that result again; evaluator three ("Quick Evals")
// posts inflated results for mail-guard v1, the two honest watchers re-run its reports and dispute them by
// themselves inside the challenge window, the proposal page shows those disputes sample by sample, an
// approval of v1 cannot execute, the resolver governance appointed (the security council) upholds them, the
// liar's bond is slashed and the disputers are paid.
//
// It runs before lifecycle.e2e.ts on the same stack (files run in name order) and never moves the chain's
// clock: the demo's proposal to approve v2 stays open for that test's vote.
import { join } from 'node:path';

import { approvalAction, DevChain, evidenceRegistryAbi } from '@charter/contracts';
import { decodeCharterError } from '@charter/contracts/protocol';
import { modelDigest } from '@charter/evaluator';
import { createIndexerClient, type Dispute, type Result } from '@charter/indexer/client';
import { expect, test, type Page } from '@playwright/test';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { demoAccounts, MODELS_DIR } from '../../stack/src/demoDao';
import { indexed, useDevAccount } from './lifecycleSteps';
import { stackInfo } from './stackInfo';

const screenshots = process.env.CHARTER_SCREENSHOTS ?? join(import.meta.dirname, '.screenshots');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

test.describe.configure({ mode: 'serial' });

const addressOf = (key: Hex) => privateKeyToAccount(key).address.toLowerCase();
const honest = Object.values(demoAccounts.evaluators).map(addressOf);
const liar = addressOf(demoAccounts.dishonestEvaluator);
const griefer = addressOf(demoAccounts.holders.dave);
const indexer = () => createIndexerClient(stackInfo().indexerUrl);
const chain = () => new DevChain(stackInfo().rpcUrl, stackInfo().deployment);
const ETH = parseEther('1');

/** Loads a page and waits until it is hydrated, so that its buttons do what JavaScript makes them do. */
async function open(page: Page, path: string) {
  await page.goto(`${stackInfo().url}${path}`);
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
}

const credits = (account: string) =>
  chain().public.readContract({
    address: stackInfo().deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'credits',
    args: [account as Hex],
  });

/** Fills the dispute form open on the page with a claim that differs from the committed sample. */
async function fileDispute(page: Page) {
  await page.getByRole('button', { name: 'Dispute', exact: true }).click();
  const form = page.getByTestId('dispute-form');
  await form.getByLabel(/^Sample/).selectOption({ index: 1 });
  await form.getByLabel("Your report's digest").fill(`0x${'6e'.repeat(32)}`);
  await form.getByLabel('Where your report is published').fill('https://griefer.example/r.json');
  await form.getByRole('button', { name: /Dispute sample, paying 0\.1 ETH/ }).click();
}

test('a griefer disputes an honest result with a wrong claim: rejected, it loses its bond and cannot dispute it again', async ({
  page,
}) => {
  // The first result an honest watcher posts, while its challenge window is still open.
  let target: Result | undefined;
  await expect(async () => {
    target = (await indexer().results.list({ evaluator: honest[0], limit: 1 })).items[0];
    expect(target).toBeDefined();
  }).toPass({ timeout: 360_000, intervals: [1_000] });
  const id = encodeURIComponent(target!.id);
  const balanceBefore = await chain().public.getBalance({ address: griefer as Hex });
  const creditBefore = await credits(target!.evaluator);

  await open(page, `/evaluations/${id}`);
  await useDevAccount(page, 'dave');
  await fileDispute(page);
  await indexed(page, 'Dispute result');
  await expect(page.getByTestId('standing')).toHaveText('Disputed');
  await expect(page.locator('[data-testid="dispute"][data-status="open"]')).toHaveCount(1);

  await useDevAccount(page, 'security council');
  await page.getByRole('button', { name: /^Reject/ }).click();
  await indexed(page, 'Reject dispute');
  await expect(page.getByTestId('payout')).toContainText(
    "the disputer's bond (0.1 ETH) goes to the evaluator, and it cannot dispute this result again",
  );
  await expect(page.getByTestId('standing')).not.toHaveText('Disputed');
  expect(await credits(target!.evaluator)).toBe(creditBefore + ETH / 10n);
  const spent = balanceBefore - (await chain().public.getBalance({ address: griefer as Hex }));
  expect(spent).toBeGreaterThanOrEqual(ETH / 10n);

  // Again, on another sample: the registry refuses, in words, before anything is signed.
  await useDevAccount(page, 'dave');
  await fileDispute(page);
  const tx = page.locator('section[aria-label="Transactions"] article').first();
  await expect(tx).toHaveAttribute('data-step', 'failed');
  await expect(tx).toContainText('cannot dispute it again');
  await shot(page, 'griefer-barred');
});

/** The liar's results for v1, each with the disputes against it, from the indexer. */
async function liarDisputes(v1: string): Promise<Map<string, Dispute[]>> {
  const { items } = await indexer().disputes.list({ evaluator: liar, model: v1, limit: 100 });
  const byResult = new Map<string, Dispute[]>();
  for (const d of items) byResult.set(d.result, [...(byResult.get(d.result) ?? []), d]);
  return byResult;
}

let approveV1: bigint;

test('the honest watchers dispute the inflated results of mail-guard v1 by themselves; the proposal page shows both outcomes, and the approval cannot execute', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const v1 = await modelDigest(join(MODELS_DIR, 'mail-guard-v1'));
  // Evaluator three posts an inflated result on each of mail-safety's three suites; both watchers re-run
  // each report, find a sample that does not reproduce, and dispute inside the window.
  await expect(async () => {
    const results = (await indexer().results.list({ evaluator: liar, model: v1 })).items;
    expect(results).toHaveLength(3);
    const disputes = await liarDisputes(v1);
    for (const result of results) {
      const disputers = (disputes.get(result.id) ?? []).map((d) => d.disputer).sort();
      expect(disputers).toEqual([...honest].sort());
    }
  }).toPass({ timeout: 480_000, intervals: [5_000] });

  const dao = chain();
  const actions = [await approvalAction(dao, v1)];
  approveV1 = await dao.propose(
    demoAccounts.holders.alice,
    actions,
    '# Approve mail-guard v1 under mail-safety\n\nQuick Evals says it passes every rule.',
  );
  await open(page, `/proposals/${approveV1}`);
  const liarRows = page.locator(`[data-testid="result-row"][data-evaluator="${liar}"]`);
  await expect(liarRows).toHaveCount(3);
  for (const row of await liarRows.all()) {
    await expect(row.getByTestId('standing')).toHaveText('Disputed');
  }
  const cards = page.locator('[data-testid="dispute"][data-status="open"]');
  await expect(cards).toHaveCount(6);
  for (const card of await cards.all()) {
    await expect(card).toContainText('Evaluator Three (Quick Evals)');
    await expect(card.getByTestId('claimed')).toContainText(/Claimed by Evaluator (One|Two)/);
  }
  await expect(page.getByTestId('would-execute')).toContainText('Execution would fail now');
  await shot(page, 'liar-disputed');

  // What the timelock would run when the approval executes: the registry refuses it.
  const refusal = await dao.public
    .call({
      account: dao.deployment.contracts.timelock,
      to: actions[0]!.target,
      data: actions[0]!.calldata,
    })
    .then(
      () => undefined,
      (error: unknown) => revertName(error),
    );
  expect(refusal).toMatch(/^PolicyRegistry/);
});

test('the resolver upholds: the liar’s results are struck, its bond is slashed, and the disputers are paid', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const treasury = stackInfo().deployment.contracts.timelock;
  const treasuryBefore = await credits(treasury);
  const honestBefore = await Promise.all(honest.map(credits));

  await open(page, `/proposals/${approveV1}`);
  await useDevAccount(page, 'security council');
  const open_ = page.locator('[data-testid="dispute"][data-status="open"]');
  for (let left = await open_.count(); left > 0; left--) {
    await open_
      .first()
      .getByRole('button', { name: /^Uphold/ })
      .click();
    await indexed(page, 'Uphold dispute');
    await expect(open_).toHaveCount(left - 1);
  }
  for (const row of await page
    .locator(`[data-testid="result-row"][data-evaluator="${liar}"]`)
    .all()) {
    await expect(row.getByTestId('standing')).toHaveText('Struck');
  }
  // The first upheld dispute took the whole stake: half to its disputer with its bond, half to the treasury.
  await expect(page.getByTestId('payout').first()).toContainText(
    '1 ETH slashed from the evaluator, 0.6 ETH to the disputer',
  );
  await shot(page, 'liar-struck');

  expect(await credits(treasury)).toBe(treasuryBefore + ETH / 2n);
  const honestAfter = await Promise.all(honest.map(credits));
  const paid = honestAfter.reduce((a, b) => a + b, 0n) - honestBefore.reduce((a, b) => a + b, 0n);
  // Half the stake and every dispute bond back: 0.5 ETH + 6 × 0.1 ETH.
  expect(paid).toBe(ETH / 2n + (6n * ETH) / 10n);

  await open(page, `/evaluators/${liar}`);
  await expect(page.getByTestId('stake')).toContainText(/Bonded\s*0 ETH/);
  await expect(page.getByTestId('stake')).toContainText(/Slashed, all told\s*1 ETH/);
  await expect(page.locator('[data-testid="dispute"][data-status="upheld"]')).toHaveCount(6);
  await expect(page.getByTestId('bond-history')).toContainText('Slashed');
  await shot(page, 'liar-slashed');

  // A disputer's credit is paid out to it by anyone's call.
  const [one] = honest as [string];
  const credit = await credits(one);
  const before = await chain().public.getBalance({ address: one as Hex });
  await chain().send(demoAccounts.holders.erin, {
    address: stackInfo().deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'withdrawCredit',
    args: [one as Hex],
  });
  expect(await chain().public.getBalance({ address: one as Hex })).toBe(before + credit);
});

/** The name of the Charter custom error somewhere in a failed call's error chain. */
function revertName(error: unknown): string | undefined {
  let current = error as { data?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (typeof current.data === 'string' && current.data.startsWith('0x'))
      return decodeCharterError(current.data as Hex)?.name;
    current = current.cause as typeof current;
  }
  return undefined;
}
