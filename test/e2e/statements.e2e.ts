// Delegate statements on the stack that `npm start` runs: a delegate (the demo's bob, to whom dave delegates)
// publishes a signed statement with interests from his page; it shows there, sanitized, and on the
// leaderboard (live, in a page already open); a second version becomes the one shown with the first in the
// history; a statement for bob signed by someone else is refused by the indexer. It never moves the chain's
// clock, and assumes nothing about statements published before it on the same stack.
import { join } from 'node:path';

import { delegateStatementTypedData } from '@charter/contracts/protocol';
import { createIndexerClient } from '@charter/indexer/client';
import { expect, test, type Page } from '@playwright/test';
import { type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { demoAccounts } from '../../stack/src/demoDao';
import { useDevAccount } from './lifecycleSteps';
import { stackInfo } from './stackInfo';

const screenshots = process.env.CHARTER_SCREENSHOTS ?? join(import.meta.dirname, '.screenshots');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

test.describe.configure({ mode: 'serial' });

const bob = privateKeyToAccount(demoAccounts.holders.bob).address.toLowerCase() as Hex;
const indexer = () => createIndexerClient(stackInfo().indexerUrl);
// Unique to this run, so that nothing published before on the same stack can satisfy an assertion.
const tag = Date.now().toString(36);

async function open(page: Page, path: string) {
  await page.goto(`${stackInfo().url}${path}`);
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
}

/** Fills the publish form on bob's page and publishes; resolves once the page says which version. */
async function publish(page: Page, text: string, interests: string[]) {
  const form = page.getByRole('region', { name: 'Publish statement' });
  await form.getByLabel(/^Statement/).fill(text);
  for (const box of await form.getByRole('checkbox').all()) await box.uncheck();
  for (const interest of interests) await form.getByLabel(interest, { exact: true }).check();
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(form.getByLabel('Preview')).toBeVisible();
  await form.getByRole('button', { name: 'Sign and publish' }).click();
  await expect(form.getByRole('status')).toContainText(/Published version \d+/);
}

test('a delegate publishes a statement with interests: shown sanitized on its page and on the leaderboard', async ({
  page,
  context,
}) => {
  const before = (await indexer().delegates.get(bob)).statement?.version ?? 0;
  // The leaderboard, open in another tab before the statement exists: it must update by itself.
  const board = await context.newPage();
  await open(board, '/delegates');
  const bobOnBoard = board.getByTestId(`statement-${bob}`);
  await expect(bobOnBoard).toBeVisible();

  await open(page, `/delegates/${bob}`);
  await useDevAccount(page, 'bob');
  await publish(
    page,
    [
      `# Evidence before approval ${tag}`,
      '',
      'I vote to approve a model only when **two independent evaluators** reproduce its results.',
      '',
      '<script>window.__statementScriptRan = true</script>',
      '<img src="x" onerror="window.__statementScriptRan = true">',
      '[a link](javascript:window.__statementScriptRan=true)',
    ].join('\n'),
    ['safety', 'evaluation rigor'],
  );

  const statement = page.getByTestId('statement');
  await expect(
    statement.getByRole('heading', { name: `Evidence before approval ${tag}` }),
  ).toBeVisible();
  await expect(statement.locator('strong')).toHaveText('two independent evaluators');
  // The script, the handler and the javascript: link are gone; nothing ran.
  await expect(statement.locator('script, img, [onerror]')).toHaveCount(0);
  await expect(statement.getByText('a link')).not.toHaveAttribute('href', /javascript/);
  expect(
    await page.evaluate(
      () => (globalThis as { __statementScriptRan?: boolean }).__statementScriptRan,
    ),
  ).toBeUndefined();
  await expect(page.getByTestId('statement-version')).toContainText(`version ${before + 1}, `);
  const section = page.getByRole('region', { name: 'Statement', exact: true });
  await expect(section.getByText('safety', { exact: true })).toBeVisible();
  await expect(section.getByText('evaluation rigor', { exact: true })).toBeVisible();

  // The open leaderboard heard of it on the stream and shows the interests and the first line.
  await expect(bobOnBoard).toContainText(`Evidence before approval ${tag}`);
  await expect(bobOnBoard).toContainText('safety');
  await expect(bobOnBoard).toContainText('evaluation rigor');
  expect(
    await board.evaluate(
      () => (globalThis as { __statementScriptRan?: boolean }).__statementScriptRan,
    ),
  ).toBeUndefined();
  await shot(board, 'statement-leaderboard');
  await shot(page, 'statement-published');
});

test('a second version shows as the newest, with the first in the history', async ({ page }) => {
  const first = (await indexer().delegates.get(bob)).statement!;
  expect(first.statement).toContain(tag);
  await open(page, `/delegates/${bob}`);
  await useDevAccount(page, 'bob');
  await publish(
    page,
    `# Costs count too ${tag}\n\nA model that nobody can afford to run helps nobody.`,
    ['cost', 'model quality'],
  );
  const statement = page.getByTestId('statement');
  await expect(statement.getByRole('heading', { name: `Costs count too ${tag}` })).toBeVisible();
  await expect(page.getByTestId('statement-version')).toContainText(
    `version ${first.version + 1}, `,
  );

  const history = page.getByTestId('statement-history');
  const newest = history.getByRole('listitem').first();
  await expect(newest).toContainText(`Version ${first.version + 1}`);
  await expect(newest).toContainText('newest');
  const earlier = history.getByRole('listitem').filter({ hasText: `Version ${first.version},` });
  await expect(earlier).toContainText(`Evidence before approval ${tag}`);
  await expect(earlier).toContainText('evaluation rigor');
  await shot(page, 'statement-history');

  await open(page, '/delegates');
  await expect(page.getByTestId(`statement-${bob}`)).toContainText(`Costs count too ${tag}`);
  await expect(page.getByTestId(`statement-${bob}`)).toContainText('cost');
});

test('a statement for a delegate signed by another key is refused by the indexer', async ({
  request,
}) => {
  const { chainId, contracts } = stackInfo().deployment;
  const newest = (await indexer().delegates.get(bob)).statement!;
  const forged = {
    statement: `# bob now supports everything ${tag}`,
    interests: ['openness'],
    issuedAt: Math.max(Math.floor(Date.now() / 1000), newest.issuedAt + 1),
  };
  const signature = await privateKeyToAccount(demoAccounts.holders.alice).signTypedData(
    delegateStatementTypedData(chainId, contracts.governor, { delegate: bob, ...forged }),
  );

  // Straight to the indexer, and through the web app's route that the form posts to.
  const direct = await request.post(`${stackInfo().indexerUrl}/delegates/${bob}/statements`, {
    data: { ...forged, signature },
  });
  expect(direct.status()).toBe(401);
  expect(await direct.json()).toMatchObject({
    error: 'wrong_signer',
    message: expect.stringContaining(`not ${bob}'s`),
  });
  const viaWeb = await request.post(`${stackInfo().url}/api/statements`, {
    data: { delegate: bob, ...forged, signature },
  });
  expect(viaWeb.status()).toBe(401);
  expect(((await viaWeb.json()) as { message: string }).message).toContain(`not ${bob}'s`);

  const after = (await indexer().delegates.get(bob)).statement!;
  expect(after.version).toBe(newest.version);
  expect(after.statement).not.toContain('supports everything');
});
