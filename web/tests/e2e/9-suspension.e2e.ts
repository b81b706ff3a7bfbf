// The guardian's emergency brake from the UI on the dev chain: the security council suspends an approved
// version with a direct transaction, every page shows it suspended (until when, and why) and the family
// falling back, and the council lifts the suspension again.
import { anvilPrivateKey, approvalAction, DevChain, modelRegistryAbi } from '@charter/contracts';
import { devAccountNames, type DevAccountName } from '@charter/contracts/dev-accounts';
import { ModelStatus, modelStatuses } from '@charter/contracts/protocol';
import { expect, test } from '@playwright/test';
import type { Hex } from 'viem';

import { useDevAccount } from './devAccount';
import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';
import { indexed } from './tx';

const dev = (name: DevAccountName) => devAccountNames.indexOf(name);

/**
 * mail-guard v2 approved: 4-lifecycle.e2e.ts approves it through the UI when the whole suite runs; run
 * alone, this test has governance approve it first (pinned to the chain as it stands, like any approval).
 */
async function approved(modelId: Hex): Promise<void> {
  const { rpcUrl, deployment } = stack();
  const chain = new DevChain(rpcUrl, deployment);
  const status = await chain.public.readContract({
    address: deployment.contracts.modelRegistry,
    abi: modelRegistryAbi,
    functionName: 'statusOf',
    args: [modelId],
  });
  if (modelStatuses[status] === ModelStatus.approved) return;
  const voters = [anvilPrivateKey(dev('deployer')), anvilPrivateKey(dev('alice'))];
  await chain.govern(
    voters[0]!,
    voters,
    [await approvalAction(chain, modelId)],
    '# Approve mail-guard v2\n\nFor the suspension test.',
  );
}

test('the security council suspends an approved version, every page shows it, and it lifts the suspension', async ({
  page,
}) => {
  const { models, guardian } = stack();
  const reason = 'Leaks fragments of training mail in its verdicts';
  await approved(models.v2 as Hex);

  await open(page, `/models/${models.v2}`);
  await expect(page.getByTestId('model-status')).toHaveText('Approved');
  // Only the guardian sees the brake.
  await useDevAccount(page, dev('alice'));
  await expect(page.getByRole('heading', { name: 'Emergency brake' })).toHaveCount(0);
  await useDevAccount(page, guardian);
  await expect(page.getByRole('heading', { name: 'Emergency brake' })).toBeVisible();

  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Suspend this version' }).click();
  await indexed(page, 'Suspend version');

  // The model page: the status, until when, and why.
  await expect(page.getByTestId('model-status')).toContainText('Suspended');
  const banner = page.getByTestId('suspension');
  await expect(banner).toContainText('Suspended — do not use this version.');
  await expect(banner).toContainText(/It lasts until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 1[34] d/);
  await expect(banner).toContainText(`Reason: ${reason}`);
  await expect(page.getByRole('button', { name: 'Lift the suspension' })).toBeVisible();
  await shot(page, 'model-suspended');

  // The registry: the version's row, and the family falling back to no approved version.
  await open(page, '/models');
  const row = page.locator('tbody tr').filter({ has: page.getByRole('link', { name: 'v2' }) });
  await expect(row).toContainText('Suspended');
  await expect(row).toContainText(reason);
  const family = page.locator('article.family');
  await expect(family.getByTestId('family-policy')).toHaveText(
    /^Governed by mail-safety\s+version 2$/,
  );
  await expect(family).toContainText('No approved version');
  await expect(family).not.toContainText('Approved: v2');
  await expect(family.getByTestId('suspension')).toContainText(`until`);
  await expect(family.getByTestId('suspension')).toContainText(reason);
  await shot(page, 'models-suspended');

  // The overview's approved models say the same.
  await open(page, '/');
  const approvedModels = page.locator('section[aria-labelledby="approved-title"]');
  await expect(approvedModels).toContainText('no approved version');
  await expect(approvedModels).toContainText('Suspended');
  await expect(approvedModels).toContainText(reason);
  await shot(page, 'overview-suspended');

  // The council lifts it: approved again, and the family's current version again.
  await open(page, `/models/${models.v2}`);
  await page.getByRole('button', { name: 'Lift the suspension' }).click();
  await indexed(page, 'Lift suspension');
  await expect(page.getByTestId('model-status')).toHaveText('Approved');
  await expect(page.getByTestId('suspension')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Status history' }).locator('..')).toContainText(
    'suspension lifted',
  );
  await open(page, '/models');
  await expect(page.locator('article.family')).toContainText('Approved: v2');
});
