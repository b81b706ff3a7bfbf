import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ballot } from '../ballots/types';
import type { Relayer } from '../startRelayer';
import { startRpcProxy, type RpcProxy } from '../testing/rpcProxy';
import { activeProposal, signVote, votesCast } from '../testing/testChain';
import { get, post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';

let test: TestChain;
let proxy: RpcProxy;
let relayer: Relayer;
let data: ReturnType<typeof testDataDir>;
const lines: string[] = [];

beforeAll(async () => {
  test = await startTestChain();
  proxy = await startRpcProxy(test.anvil.rpcUrl);
  data = testDataDir();
  relayer = await relayTestChain(
    { ...test, anvil: { ...test.anvil, rpcUrl: proxy.url } },
    data.dataDir,
    { lines },
  );
});
afterAll(async () => {
  await relayer?.stop();
  await proxy?.close();
  data?.drop();
  await test?.stop();
});

describe('with the RPC down', () => {
  it('answers 503 unavailable and stores nothing', async () => {
    const proposalId = await activeProposal(test);
    const ballot = await signVote(test, test.key('alice'), { proposalId, support: 1 });
    proxy.mode = 'down';
    try {
      const answer = await post(relayer, ballot);
      expect(answer.status).toBe(503);
      expect(answer.body.error).toBe('unavailable');
    } finally {
      proxy.mode = 'up';
    }
    const { body } = await get<{ items: Ballot[] }>(
      relayer,
      `/ballots?account=${test.address('alice')}`,
    );
    expect(body.items).toEqual([]);
  });

  it('keeps a signed ballot while the node refuses transactions, and sends it once when it takes them again', async () => {
    const proposalId = await activeProposal(test);
    const nonceBefore = await test.chain.public.getTransactionCount({
      address: test.address('relayer'),
    });
    proxy.mode = 'refuse-send';
    const accepted = await post(
      relayer,
      await signVote(test, test.key('bob'), { proposalId, support: 1 }),
    );
    expect(accepted.status).toBe(202);
    const id = String(accepted.body.id);
    const sent = await waitForBallot(relayer, id, (b) => b.status === 'sent');
    await waitForLine('"broadcast_failed"');
    expect(proxy.sends).toBeGreaterThan(0);
    expect(await votesCast(test, proposalId, test.address('bob'))).toHaveLength(0);

    proxy.mode = 'up';
    const mined = await waitForBallot(relayer, id, (b) => b.status === 'mined');
    expect(mined.txHash).toBe(sent.txHash); // the bytes signed before the outage
    expect(await votesCast(test, proposalId, test.address('bob'))).toHaveLength(1);
    expect(await test.chain.public.getTransactionCount({ address: test.address('relayer') })).toBe(
      nonceBefore + 1,
    );
  });
});

async function waitForLine(text: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!lines.some((line) => line.includes(text))) {
    if (Date.now() > deadline) throw new Error(`no log line with ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
