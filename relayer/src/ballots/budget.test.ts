import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { formatEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Relayer } from '../startRelayer';
import { activeProposal, signVote } from '../testing/testChain';
import { get, post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';

let test: TestChain;

beforeAll(async () => {
  test = await startTestChain();
});
afterAll(async () => {
  await test?.stop();
});

const relayerNonce = () =>
  test.chain.public.getTransactionCount({ address: test.address('relayer') });

describe('the gas budget', () => {
  it('counts what mined ballots cost, across restarts, and refuses the ballot that would go over (503)', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    try {
      relayer = await relayTestChain(test, data.dataDir, { budgetEth: '1' });
      const proposalId = await activeProposal(test);
      const first = await post(
        relayer,
        await signVote(test, test.key('alice'), { proposalId, support: 1 }),
      );
      expect(first.status).toBe(202);
      const mined = await waitForBallot(
        relayer,
        String(first.body.id),
        (b) => b.status === 'mined',
      );
      const receipt = await test.chain.public.getTransactionReceipt({ hash: mined.txHash! });
      const { body: status } = await get(relayer, '/status');
      expect(status).toMatchObject({
        spent: (receipt.gasUsed * receipt.effectiveGasPrice).toString(),
        reserved: '0',
        queued: 0,
        budget: 10n ** 18n + '',
      });
      await relayer.stop();

      // The same queue with a budget of exactly what was spent: nothing is left for another ballot.
      relayer = await relayTestChain(test, data.dataDir, {
        budgetEth: formatEther(BigInt(String(status.spent))),
      });
      const before = await relayerNonce();
      const refused = await post(
        relayer,
        await signVote(test, test.key('bob'), { proposalId, support: 0 }),
      );
      expect(refused.status).toBe(503);
      expect(refused.body.error).toBe('budget_exhausted');
      expect(String(refused.body.message)).toMatch(/budget is spent/);
      expect(await relayerNonce()).toBe(before);
    } finally {
      await relayer?.stop();
      data.drop();
    }
  });

  it('holds back gas for queued ballots: a second ballot that the reservation leaves no room for is refused', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    try {
      const proposalId = await activeProposal(test);
      const alice = await signVote(test, test.key('alice'), { proposalId, support: 1 });
      const bob = await signVote(test, test.key('bob'), { proposalId, support: 1 });
      // Measure what one ballot reserves on a relayer whose queue does not move (nothing is mined).
      await test.chain.test.setAutomine(false);
      relayer = await relayTestChain(test, data.dataDir, { budgetEth: '1' });
      const first = await post(relayer, alice);
      expect(first.status).toBe(202);
      const { body: status } = await get(relayer, '/status');
      const reserved = BigInt(String(status.reserved));
      expect(reserved).toBeGreaterThan(0n);
      await relayer.stop();
      // A budget of one and a half reservations: the second ballot does not fit beside the first.
      relayer = await relayTestChain(test, data.dataDir, {
        budgetEth: formatEther((reserved * 3n) / 2n),
      });
      const second = await post(relayer, bob);
      expect(second.status).toBe(503);
      expect(second.body.error).toBe('budget_exhausted');
    } finally {
      await test.chain.test.setAutomine(true);
      await relayer?.stop();
      data.drop();
    }
  });
});
