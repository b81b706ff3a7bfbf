import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { TransactionReceiptNotFoundError } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Relayer } from '../startRelayer';
import { activeProposal, signVote, votesCast } from '../testing/testChain';
import { post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';

// A fee spike on a real network: the base fee jumps past what the stored transaction offers, so no block
// takes it. The relayer replaces it (same nonce) at the fee the chain asks now; one of the two lands.

let test: TestChain;
let relayer: Relayer;
let data: ReturnType<typeof testDataDir>;
const lines: string[] = [];

beforeAll(async () => {
  test = await startTestChain();
  data = testDataDir();
  relayer = await relayTestChain(test, data.dataDir, { rebroadcastMs: 300, lines });
});
afterAll(async () => {
  await test?.chain.test.setAutomine(true);
  await relayer?.stop();
  data?.drop();
  await test?.stop();
});

describe('a fee spike', () => {
  it('replaces the stuck transaction with a higher fee, and the ballot is mined once', async () => {
    const proposalId = await activeProposal(test);
    const ballot = await signVote(test, test.key('alice'), { proposalId, support: 1 });
    const nonceBefore = await test.chain.public.getTransactionCount({
      address: test.address('relayer'),
    });
    await test.chain.test.setAutomine(false);
    const accepted = await post(relayer, ballot);
    expect(accepted.status).toBe(202);
    const id = String(accepted.body.id);
    const sent = await waitForBallot(relayer, id, (b) => b.status === 'sent' && !!b.txHash);
    await until(() => lines.some((line) => line.includes('"ballot_sent"')));
    const stuck = await test.chain.public.getTransaction({ hash: sent.txHash! });

    // The next block's base fee is four times what the transaction offers: it is left out.
    await test.chain.test.setNextBlockBaseFeePerGas({ baseFeePerGas: stuck.maxFeePerGas! * 4n });
    await test.chain.test.mine({ blocks: 1 });
    await expect(test.chain.public.getTransactionReceipt({ hash: sent.txHash! })).rejects.toThrow(
      TransactionReceiptNotFoundError,
    );

    await until(() => lines.some((line) => line.includes('"fee_raised"')));
    await test.chain.test.mine({ blocks: 1 });
    await test.chain.test.setAutomine(true);
    const mined = await waitForBallot(relayer, id, (b) => b.status === 'mined');
    expect(mined.txHash).not.toBe(sent.txHash);
    const landed = await test.chain.public.getTransaction({ hash: mined.txHash! });
    expect(landed.nonce).toBe(stuck.nonce);
    expect(landed.maxFeePerGas! > stuck.maxFeePerGas!).toBe(true);
    expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
    expect(await test.chain.public.getTransactionCount({ address: test.address('relayer') })).toBe(
      nonceBefore + 1,
    );
  });
});

async function until(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; log:\n${lines.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
