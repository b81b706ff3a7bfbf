// The full lifecycle on the stack that `npm start` runs: the evaluators in watch mode post the evidence by
// themselves (and dispute the dishonest evaluator's inflated results for mail-guard v1 inside their challenge
// window), holders vote through the web app's dev accounts, time advances past every window, and the
// approval executes, and a subscriber's webhook receives the signed approval; then an approval of the weaker
// version goes through the vote and fails to execute, in words.
import { join } from 'node:path';

import {
  approvalAction,
  charterGovernorAbi,
  DevChain,
  evidenceRegistryAbi,
} from '@charter/contracts';
import { ResultStatus, resultStatuses } from '@charter/contracts/protocol';
import { listSuites, modelDigest } from '@charter/evaluator';
import { expect, test, type Page } from '@playwright/test';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { demoAccounts, MAIL_SAFETY_RULES, MODELS_DIR } from '../../stack/src/demoDao';
import { advance, delivery, indexed, subscribeWebhook, useDevAccount } from './lifecycleSteps';
import { stackInfo } from './stackInfo';
import {
  startWebhookReceiver,
  verifyCharterSignature,
  type WebhookReceiver,
} from './webhookReceiver';

// An ordinary run writes its pictures to the ignored .screenshots/, so that `npm test` leaves the committed
// ones alone; `npm run screenshots` points CHARTER_SCREENSHOTS at screenshots/, which the README shows.
const screenshots = process.env.CHARTER_SCREENSHOTS ?? join(import.meta.dirname, '.screenshots');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

test.describe.configure({ mode: 'serial' });

// A subscriber's server, on this machine's loopback.
let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(() => receiver.close());

/** The first request the receiver got of event `type` whose data matches `data`, once it has come. */
async function receivedEvent(type: string, data: Record<string, unknown> = {}) {
  const find = () =>
    receiver.received.find(
      (r) =>
        r.event?.type === type && Object.entries(data).every(([k, v]) => r.event?.data[k] === v),
    );
  await expect.poll(() => find(), { timeout: 60_000, message: `a ${type} webhook` }).toBeDefined();
  return find()!;
}

/** Loads a page and waits until it is hydrated, so that its buttons do what JavaScript makes them do. */
async function open(page: Page, path: string) {
  await page.goto(`${stackInfo().url}${path}`);
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
}

/**
 * The demo's open proposal to approve mail-guard v2, found by its title: its actions pin the chain's state
 * when the demo was seeded (the policy version, the family's current version, an expiry), so its id cannot
 * be recomputed here.
 */
async function demoApprovalProposal(): Promise<bigint> {
  const { deployment, rpcUrl } = stackInfo();
  const created = await new DevChain(rpcUrl, deployment).public.getContractEvents({
    address: deployment.contracts.governor,
    abi: charterGovernorAbi,
    eventName: 'ProposalCreated',
    fromBlock: BigInt(deployment.deploymentBlock),
  });
  const found = created.find((event) =>
    event.args.description?.startsWith('# Approve mail-guard v2 under mail-safety'),
  );
  if (!found?.args.proposalId)
    throw new Error('the demo DAO has no proposal to approve mail-guard v2');
  return found.args.proposalId;
}

/** The status of each evaluator's result for `modelId` on every suite of mail-safety, read from the chain. */
async function resultStatusesOn(modelId: Hex, evaluators: Address[]) {
  const { deployment, rpcUrl } = stackInfo();
  const chain = new DevChain(rpcUrl, deployment);
  const suites = new Map((await listSuites()).map((loaded) => [loaded.suite.name, loaded.id]));
  const suiteIds = [...new Set(MAIL_SAFETY_RULES.map((rule) => suites.get(rule.suite)!))];
  return Promise.all(
    suiteIds.flatMap((suiteId) =>
      evaluators.map(async (evaluator) => {
        const [live] = await chain.public.readContract({
          address: deployment.contracts.evidenceRegistry,
          abi: evidenceRegistryAbi,
          functionName: 'result',
          args: [modelId, suiteId, evaluator],
        });
        return resultStatuses[live.status]!;
      }),
    ),
  );
}

const addressOf = (key: Hex) => privateKeyToAccount(key).address;

async function digests() {
  return {
    v1: await modelDigest(join(MODELS_DIR, 'mail-guard-v1')),
    v2: await modelDigest(join(MODELS_DIR, 'mail-guard-v2')),
  };
}

test('the evaluators post the evidence, holders vote, and the approval of mail-guard v2 executes', async ({
  page,
}) => {
  const { v1, v2 } = await digests();
  const id = await demoApprovalProposal();
  const honest = Object.values(demoAccounts.evaluators).map(addressOf);
  const liar = addressOf(demoAccounts.dishonestEvaluator);

  // carol subscribes her server to mail-guard's approvals and to proposals' states, and tries it out.
  await open(page, '/notifications');
  await useDevAccount(page, 'carol');
  const secret = await subscribeWebhook(page, receiver.url, {
    events: [/A version is approved/, /A proposal changes state/],
    family: 'mail-guard',
  });
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(delivery(page, receiver.url, 'test')).toHaveAttribute('data-status', 'delivered');
  const trial = await receivedEvent('test');
  expect(
    verifyCharterSignature(secret, trial.headers['charter-signature'] as string, trial.rawBody),
  ).toBe(true);

  // Nobody does anything: the two watchers evaluate both versions and submit; evaluator three posts inflated
  // results for v1, and the watchers, re-running its reports, dispute every one inside its window.
  await open(page, `/proposals/${id}`);
  await expect(page.getByTestId('state')).toHaveText('Active');
  await expect(async () => {
    expect(await resultStatusesOn(v2, honest)).not.toContain(ResultStatus.none);
  }).toPass({ timeout: 360_000, intervals: [5_000] });
  await expect(async () => {
    for (const status of await resultStatusesOn(v1, [liar])) {
      expect([ResultStatus.disputed, ResultStatus.struck]).toContain(status);
    }
  }).toPass({ timeout: 360_000, intervals: [5_000] });
  // v2's evidence is posted; it counts once its window has passed (or already has, on a slow machine).
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('would-execute')).toContainText(
      /challenge window|Execution would succeed now/,
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
  await shot(page, 'evidence');

  // alice and bob (who holds dave's delegation) vote for it.
  await useDevAccount(page, 'alice');
  await page.getByLabel('For', { exact: true }).check();
  await page
    .getByLabel(/Reason/)
    .fill('Both evaluators agree: v2 meets every rule of mail-safety.');
  await page.getByRole('button', { name: 'Submit vote' }).click();
  await indexed(page, 'Vote for');
  await useDevAccount(page, 'bob');
  await page.getByLabel('For', { exact: true }).check();
  await page.getByRole('button', { name: 'Submit vote' }).click();
  await indexed(page, 'Vote for');
  await expect(page.getByTestId('votes')).toContainText('Both evaluators agree');
  await shot(page, 'voted');

  // Three days: past the end of the vote, and past every result's challenge window.
  await advance(page, /Voting period/);
  await expect(page.getByTestId('state')).toHaveText('Succeeded');
  await page.getByRole('button', { name: 'Queue' }).click();
  await indexed(page, 'Queue proposal');
  await expect(page.getByTestId('state')).toHaveText('Queued');
  await advance(page, /Timelock delay/);
  await page.getByRole('button', { name: 'Execute' }).click();
  await indexed(page, 'Execute proposal');
  await expect(page.getByTestId('state')).toHaveText('Executed');
  await shot(page, 'executed');

  await open(page, `/models/${v2}`);
  await expect(page.getByTestId('model-status')).toHaveText('Approved');
  await open(page, '/models');
  await expect(page.locator('article.family')).toContainText('Approved: v2');
  await shot(page, 'registry');

  // carol's server was told, in a body signed with her secret; her delivery log says so too.
  await receivedEvent('proposal.state-changed', { proposalId: String(id), state: 'executed' });
  const approval = await receivedEvent('model.approved', {
    family: 'mail-guard',
    version: 'v2',
    modelId: v2.toLowerCase(),
  });
  expect(approval.headers['charter-event']).toBe('model.approved');
  const signature = approval.headers['charter-signature'] as string;
  expect(verifyCharterSignature(secret, signature, approval.rawBody)).toBe(true);
  expect(verifyCharterSignature(secret, signature, approval.rawBody.replace('v2', 'v1'))).toBe(
    false,
  );
  await open(page, '/notifications');
  await expect(delivery(page, receiver.url, 'model.approved')).toHaveAttribute(
    'data-status',
    'delivered',
  );
  await shot(page, 'notifications');
  // The family's Atom feed, for people without a server, has it too.
  const feedLink = page.getByRole('link', { name: 'Model family mail-guard' });
  const feed = await page.request.get(`${stackInfo().url}${await feedLink.getAttribute('href')}`);
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain('mail-guard v2 approved');
});

test('an approval of mail-guard v1 passes the vote but cannot execute, and the UI says which rule fails', async ({
  page,
}) => {
  const { deployment, rpcUrl } = stackInfo();
  const { v1 } = await digests();
  const { alice, bob } = demoAccounts.holders;
  const chain = new DevChain(rpcUrl, deployment);
  const actions = [await approvalAction(chain, v1)];
  const description = '# Approve mail-guard v1 under mail-safety\n\nThe smaller, older version.';
  const id = await chain.propose(alice, actions, description);
  await chain.openVoting(id);
  await chain.vote(alice, id, 1);
  await chain.vote(bob, id, 1);
  await chain.closeVoting(id);
  await chain.queue(alice, actions, description);

  await open(page, `/proposals/${id}`);
  await useDevAccount(page, 'alice');
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('The timelock delay has passed')).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
  await expect(page.getByTestId('state')).toHaveText('Queued');
  await expect(page.getByTestId('would-execute')).toContainText('Execution would fail now');
  // The indexer's own account of the first failing rule, before anyone tries.
  await expect(page.getByTestId('would-execute')).toContainText(/\bf1\b.*0 of the 2 evaluators/);

  // The contracts refuse it; the web app simulates first and shows their custom error in words.
  await page.getByRole('button', { name: 'Execute' }).click();
  const tx = page.locator('section[aria-label="Transactions"] article').first();
  await expect(tx).toHaveAttribute('data-step', 'failed');
  await expect(tx).toContainText(/Rule 1 is not met: .*F1 must be at least 0\.9/i);
  await expect(page.getByTestId('state')).toHaveText('Queued');
  await shot(page, 'execution-refused');
});
