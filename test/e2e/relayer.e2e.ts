// Gasless voting on the stack that `npm start` runs: frank, the demo's holder with tokens and no ETH, first tries
// to delegate and vote with gas and is told in words that he cannot pay for it, pointed to the button without
// gas; then he delegates to himself and votes with a reason by signing in the web app; the relayer `npm start`
// runs sends both and pays, and the page follows each ballot until the indexer has it. On chain he still holds
// no ETH, and his vote counts.
//
// It runs after lifecycle.e2e.ts on the same stack (files run in name order) and passes alone on a fresh one:
// it makes its own proposal, after frank's delegation so that his votes count at its snapshot, and moves the
// chain's clock only past that proposal's voting delay.
import { join } from 'node:path';

import {
  action,
  charterGovernorAbi,
  charterTokenAbi,
  DevChain,
  modelRegistryAbi,
} from '@charter/contracts';
import { anvilPrivateKey, devAccountNames } from '@charter/contracts/dev-accounts';
import { expect, test, type Page } from '@playwright/test';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { demoAccounts, GASLESS_HOLDER_TOKENS } from '../../stack/src/demoDao';
import { indexed, useDevAccount } from './lifecycleSteps';
import { stackInfo } from './stackInfo';

const screenshots = process.env.CHARTER_SCREENSHOTS ?? join(import.meta.dirname, '.screenshots');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

const chain = () => new DevChain(stackInfo().rpcUrl, stackInfo().deployment);
const frank = privateKeyToAccount(demoAccounts.gaslessHolder).address;

/** Loads a page and waits until it is hydrated, so that its buttons do what JavaScript makes them do. */
async function open(page: Page, path: string) {
  await page.goto(`${stackInfo().url}${path}`);
  await expect(page.locator('body[data-hydrated]')).toBeAttached();
}

const ethOf = (account: Address) => chain().public.getBalance({ address: account });

/** Presses a button that sends with gas, as an account with no ETH: the write fails and says where to go. */
async function refusedForGas(page: Page, button: string, label: string, gasless: string) {
  const hint = `This account does not have enough ETH to pay for gas: use “${gasless}” instead.`;
  // The form knows the balance is zero: it says so before anything is pressed, its way without gas first.
  await expect(page.getByTestId('no-gas')).toHaveText(hint);
  const both = page.getByRole('button', { name: new RegExp(`^(${button}|${gasless})$`) });
  expect((await both.allTextContents()).map((name) => name.trim())).toEqual([gasless, button]);
  const withGas = page.getByRole('button', { name: button, exact: true });
  await withGas.click();
  const tx = page
    .locator('section[aria-label="Transactions"] article')
    .filter({ hasText: label })
    .filter({ hasNotText: '(no gas)' });
  await expect(tx).toHaveAttribute('data-step', 'failed');
  await expect(tx.getByRole('alert')).toHaveText(hint);
  await expect(page.getByTestId('no-gas')).toHaveText(hint);
}

test("the relayer's refusal shows in its words, and nothing is sent", async ({ page }) => {
  // stranger holds no tokens: the relayer pays only for holders (its minimum voting power).
  const stranger = privateKeyToAccount(
    anvilPrivateKey(devAccountNames.indexOf('stranger')),
  ).address;
  const relayer = privateKeyToAccount(demoAccounts.relayer).address;
  const sentBefore = await chain().public.getTransactionCount({ address: relayer });
  await open(page, `/account/${stranger}`);
  await useDevAccount(page, 'stranger');
  await page.getByRole('button', { name: 'Delegate to myself without gas' }).click();
  const tx = page
    .locator('section[aria-label="Transactions"] article')
    .filter({ hasText: 'Delegate to yourself (no gas)' });
  await expect(tx).toHaveAttribute('data-step', 'failed');
  await expect(tx.getByRole('alert')).toContainText(`${stranger.toLowerCase()} holds 0 tokens`);
  await expect(page.getByTestId('delegate')).toContainText('nobody');
  expect(await chain().public.getTransactionCount({ address: relayer })).toBe(sentBefore);
});

test('a holder with no ETH delegates and votes without gas, and sees the ballot indexed', async ({
  page,
}) => {
  const { deployment } = stackInfo();
  const { governor, token, modelRegistry } = deployment.contracts;
  const dao = chain();
  expect(await ethOf(frank)).toBe(0n);

  // Delegate to himself from his account page: signed in the page, sent by the relayer.
  await open(page, `/account/${frank}`);
  await useDevAccount(page, 'frank');
  await expect(page.getByTestId('delegate')).toContainText('nobody');
  const sent = await dao.public.getTransactionCount({ address: frank });
  await refusedForGas(
    page,
    'Delegate to myself',
    'Delegate to yourself',
    'Delegate to myself without gas',
  );
  await shot(page, 'gasless-delegate-refused');
  await page.getByRole('button', { name: 'Delegate to myself without gas' }).click();
  await indexed(page, 'Delegate to yourself (no gas)');
  await expect(page.getByTestId('delegate')).toHaveText('itself');
  await expect(page.getByTestId('voting-power')).toContainText('20,000');
  expect(
    await dao.public.readContract({
      address: token,
      abi: charterTokenAbi,
      functionName: 'delegates',
      args: [frank],
    }),
  ).toBe(frank);

  // A proposal made after the delegation, so frank's votes count at its snapshot; voting opens.
  const description = `# Deprecate nothing in particular (${Date.now()})\n\nA proposal for frank to vote on without gas.`;
  const v1 = (
    await dao.public.getContractEvents({
      address: modelRegistry,
      abi: modelRegistryAbi,
      eventName: 'ModelRegistered',
      fromBlock: BigInt(deployment.deploymentBlock),
    })
  )[0]!.args.modelId!;
  const proposalId = await dao.propose(
    demoAccounts.holders.alice,
    [action(modelRegistry, modelRegistryAbi, 'deprecate', [v1])],
    description,
  );
  await dao.openVoting(proposalId);

  // The page once the indexer has seen voting open.
  await expect(async () => {
    await open(page, `/proposals/${proposalId}`);
    await expect(page.getByTestId('state')).toHaveText('Active', { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000] });

  const reason = 'Signed in the browser; the relayer paid the gas.';
  await page.getByLabel('Against', { exact: true }).check();
  await page.getByLabel(/^Reason/).fill(reason);
  await refusedForGas(page, 'Submit vote', 'Vote against', 'Vote without gas');
  await shot(page, 'gasless-vote-form');
  await page.getByRole('button', { name: 'Vote without gas' }).click();
  await indexed(page, 'Vote against (no gas)');
  await expect(page.getByTestId('my-vote')).toContainText(reason);
  const row = page.getByTestId('votes').locator('li').filter({ hasText: reason });
  await expect(row).toContainText('Against');
  await expect(row).toContainText('20,000');
  await shot(page, 'gasless-vote');

  // On chain: the vote counted with frank's weight, and he still has not one wei.
  expect(
    await dao.public.readContract({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'hasVoted',
      args: [proposalId, frank],
    }),
  ).toBe(true);
  const [against] = await dao.public.readContract({
    address: governor,
    abi: charterGovernorAbi,
    functionName: 'proposalVotes',
    args: [proposalId],
  });
  expect(against).toBe(GASLESS_HOLDER_TOKENS);
  expect(await ethOf(frank)).toBe(0n);
  // The writes refused for gas never reached the chain.
  expect(await dao.public.getTransactionCount({ address: frank })).toBe(sent);
});
