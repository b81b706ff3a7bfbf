import { anvilPrivateKey, approvalAction, DevChain } from '@charter/contracts';
import { describeCharterError, parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { expect, test } from '@playwright/test';

import { open } from './open';
import { stack } from './stackInfo';

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await response.json()) as { result: unknown }).result;
}

test('a proposal page follows the chain: it turns active with the block that opens voting', async ({
  page,
}) => {
  const { rpcUrl, indexerUrl, deployment, models } = stack();
  const chain = new DevChain(rpcUrl, deployment);
  const id = await chain.propose(
    anvilPrivateKey(1),
    [await approvalAction(chain, models.v1 as `0x${string}`)],
    '# Approve mail-guard v1\n\nTo see how the evidence reads when it falls short.',
  );
  await open(page, `/proposals/${id}`);
  await expect(page.getByTestId('state')).toHaveText('Pending');

  // The evidence banner and the rule's card say what the execute error would: rule 1, 0.7165.
  const words = describeCharterError('PolicyRegistryThresholdNotMet', [
    0n,
    shortNameToBytes32('f1'),
    0,
    parseWad('0.9'),
    parseWad('0.7165'),
    0n,
    2n,
  ]);
  await expect(page.getByTestId('would-execute')).toContainText(words);
  await expect(
    page.getByRole('heading', { name: 'Rule 1: spam-detection · f1 ≥ 0.9' }),
  ).toBeVisible();

  // Another party's block moves the chain past the voting start; nothing about this proposal changes,
  // so only following the indexed blocks brings the page up to date — and without navigating.
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));
  const { votingDelay } = (await (await fetch(`${indexerUrl}/governance`)).json()) as {
    votingDelay: number;
  };
  await rpc(rpcUrl, 'evm_increaseTime', [votingDelay + 1]);
  await rpc(rpcUrl, 'evm_mine');
  await expect(page.getByTestId('state')).toHaveText('Active', { timeout: 6_000 });
  expect(loads).toEqual([]);
});
