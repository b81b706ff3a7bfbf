import { pollingIntervalFor } from '@charter/contracts';
import { startIndexer, type Indexer } from '@charter/indexer';
import { createIndexerClient } from '@charter/indexer/client';
import { onDemandPollingInterval } from '@charter/contracts';
import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Relayer } from './startRelayer';
import { activeProposal, signDelegation, signVote } from './testing/testChain';
import { post, relayTestChain, testDataDir, waitForBallot } from './testing/testRelayer';

let test: TestChain;
let indexer: Indexer;
let relayer: Relayer;
let data: ReturnType<typeof testDataDir>;

beforeAll(async () => {
  test = await startTestChain();
  indexer = await startIndexer({
    rpcUrl: test.anvil.rpcUrl,
    deployment: test.deployment,
    dataDir: 'memory://',
    port: 0,
    pollingInterval: 20,
    logLevel: 'silent',
  });
  await indexer.ready();
  data = testDataDir();
  relayer = await relayTestChain(test, data.dataDir, { indexerUrl: indexer.url });
});

afterAll(async () => {
  await relayer?.stop();
  await indexer?.stop();
  data?.drop();
  await test?.stop();
});

describe('with the indexer', () => {
  it('reports a relayed vote and delegation as indexed once the indexer has their block', async () => {
    const proposalId = await activeProposal(test);
    const vote = await post(
      relayer,
      await signVote(test, test.key('alice'), { proposalId, support: 1, reason: 'gasless' }),
    );
    const delegation = await post(
      relayer,
      await signDelegation(test, test.key('bob'), test.address('alice')),
    );
    expect([vote.status, delegation.status]).toEqual([202, 202]);
    const indexed = await waitForBallot(
      relayer,
      String(vote.body.id),
      (b) => b.status === 'indexed',
    );
    await waitForBallot(relayer, String(delegation.body.id), (b) => b.status === 'indexed');

    const client = createIndexerClient(indexer.url);
    const votes = await client.proposals.votes(proposalId.toString());
    const alice = votes.items.find((v) => v.voter === test.address('alice'));
    expect(alice).toMatchObject({ support: 'for', reason: 'gasless', tx: indexed.txHash });
    const account = await client.accounts.get(test.address('bob'));
    expect(account.delegate).toBe(test.address('alice'));
  });
});

describe('the polling interval', () => {
  /** The interval a relayer started with `options` runs at; it is stopped at once. */
  const intervalOf = async (options: { pollingInterval?: number }) => {
    const started = await relayTestChain(test, 'memory://', options);
    await started.stop();
    return started.pollingInterval;
  };

  it('is the indexer’s on a node that mines on demand, unless one is given', async () => {
    expect(await intervalOf({ pollingInterval: undefined })).toBe(onDemandPollingInterval);
    expect(await intervalOf({ pollingInterval: 750 })).toBe(750);
  });

  it('is half the block time on a chain that does not mine on demand', async () => {
    // 21 blocks 2 s apart, so that the 20 gaps measured are all 2 s; then no automine, as on a real chain.
    await test.rpc('anvil_mine', ['0x15', '0x2']);
    await test.rpc('evm_setAutomine', [false]);
    try {
      expect(await intervalOf({ pollingInterval: undefined })).toBe(pollingIntervalFor(2));
    } finally {
      await test.rpc('evm_setAutomine', [true]);
    }
  });
});
