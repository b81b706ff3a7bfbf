import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getBallot } from '../database/ballots';
import { openDatabase } from '../database/openDatabase';
import type { Relayer } from '../startRelayer';
import { activeProposal, signDelegation, signVote, votesCast } from '../testing/testChain';
import { post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';

// A crash at the two moments that matter: after the signed transaction is stored but before it reaches
// the node, and after it reaches the node but before that is recorded. A new relayer on the same data
// directory must send every ballot, each exactly once.

let test: TestChain;

beforeAll(async () => {
  test = await startTestChain();
});
afterAll(async () => {
  await test?.stop();
});

const relayerNonce = () =>
  test.chain.public.getTransactionCount({ address: test.address('relayer') });

/** The stored row of a ballot, read with the relayer stopped (PGlite has one user at a time). */
async function storedBallot(dataDir: string, id: string) {
  const database = await openDatabase({ dataDir });
  try {
    return await getBallot(database.db, id as `0x${string}`);
  } finally {
    await database.close();
  }
}

describe('a restart mid-queue', () => {
  it('after signing, before broadcasting: the stored transaction is sent, and the rest of the queue, once each', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    try {
      relayer = await relayTestChain(test, data.dataDir, {
        faults: { afterSign: () => false },
      });
      await test.chain.fund(test.keys[0]!, test.key('carol'), 1000n * 10n ** 18n);
      const proposalId = await activeProposal(test);
      const nonceBefore = await relayerNonce();
      const alice = await post(
        relayer,
        await signVote(test, test.key('alice'), { proposalId, support: 1 }),
      );
      expect(alice.status).toBe(202);
      await relayer.done; // crashed right after storing alice's signed transaction
      const bob = await post(
        relayer,
        await signVote(test, test.key('bob'), { proposalId, support: 0 }),
      );
      const carol = await post(
        relayer,
        await signDelegation(test, test.key('carol'), test.address('bob')),
      );
      expect([bob.status, carol.status]).toEqual([202, 202]);
      await relayer.stop();
      relayer = undefined;

      const stored = await storedBallot(data.dataDir, String(alice.body.id));
      expect(stored).toMatchObject({ status: 'sent', broadcastAt: null });
      expect(stored!.rawTx).toMatch(/^0x/);
      expect(await relayerNonce()).toBe(nonceBefore); // nothing reached the chain
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(0);

      relayer = await relayTestChain(test, data.dataDir);
      const ids = [alice, bob, carol].map((answer) => String(answer.body.id));
      const mined = [];
      for (const id of ids)
        mined.push(await waitForBallot(relayer, id, (b) => b.status === 'mined'));
      expect(mined[0]!.txHash).toBe(stored!.txHash); // the same bytes, not a second signature
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
      expect(await votesCast(test, proposalId, test.address('bob'))).toHaveLength(1);
      expect(await relayerNonce()).toBe(nonceBefore + 3);
    } finally {
      await relayer?.stop();
      data.drop();
    }
  });

  it('after broadcasting, before recording it: the pending transaction is recognised, not signed again', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    try {
      relayer = await relayTestChain(test, data.dataDir, {
        faults: { afterBroadcast: () => false },
      });
      const proposalId = await activeProposal(test);
      const nonceBefore = await relayerNonce();
      const ballot = await signVote(test, test.key('alice'), { proposalId, support: 2 });
      await test.chain.test.setAutomine(false);
      const accepted = await post(relayer, ballot);
      expect(accepted.status).toBe(202);
      await relayer.done; // crashed right after the node took the transaction
      await relayer.stop();
      const stored = await storedBallot(data.dataDir, String(accepted.body.id));
      expect(stored).toMatchObject({ status: 'sent', broadcastAt: null });

      relayer = await relayTestChain(test, data.dataDir);
      // The new relayer finds the transaction already in the node's pool, and marks it broadcast.
      await waitFor(
        async () => (await storedBroadcast(relayer!, String(accepted.body.id))) === true,
      );
      await test.chain.test.mine({ blocks: 1 });
      const mined = await waitForBallot(
        relayer,
        String(accepted.body.id),
        (b) => b.status === 'mined',
      );
      expect(mined.txHash).toBe(stored!.txHash);
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
      expect(await relayerNonce()).toBe(nonceBefore + 1);
    } finally {
      await test.chain.test.setAutomine(true);
      await relayer?.stop();
      data.drop();
    }
  });
});

describe('a nonce taken by another transaction of the key', () => {
  it('signs the ballot afresh with the next nonce: sent once, not lost', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    try {
      relayer = await relayTestChain(test, data.dataDir, { faults: { afterSign: () => false } });
      const proposalId = await activeProposal(test);
      const accepted = await post(
        relayer,
        await signVote(test, test.key('alice'), { proposalId, support: 0 }),
      );
      await relayer.done;
      await relayer.stop();
      const stored = await storedBallot(data.dataDir, String(accepted.body.id));
      // The same key spends that nonce elsewhere (another relayer instance, an operator by hand).
      const wallet = test.chain.wallet(test.key('relayer'));
      await test.chain.confirm(
        wallet.sendTransaction({ to: test.address('alice'), value: 1n, nonce: stored!.txNonce! }),
      );

      const lines: string[] = [];
      relayer = await relayTestChain(test, data.dataDir, { lines });
      const mined = await waitForBallot(
        relayer,
        String(accepted.body.id),
        (b) => b.status === 'mined',
      );
      expect(lines.some((line) => line.includes('"nonce_taken"'))).toBe(true);
      expect(mined.txHash).not.toBe(stored!.txHash);
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
    } finally {
      await relayer?.stop();
      data.drop();
    }
  });
});

describe('a data directory', () => {
  it('belongs to one chain, deployment and key: another key is refused at start, naming it', async () => {
    const data = testDataDir();
    try {
      const relayer = await relayTestChain(test, data.dataDir);
      await relayer.stop();
      await expect(
        relayTestChain(test, data.dataDir, { privateKey: test.key('stranger') }),
      ).rejects.toThrow(/belongs to another key \(RELAYER_PRIVATE_KEY\)/);
      // The right key still opens it.
      await (await relayTestChain(test, data.dataDir)).stop();
    } finally {
      data.drop();
    }
  });
});

describe('a dev chain started afresh', () => {
  it('voids the old queue instead of broadcasting it on the new chain', async () => {
    const data = testDataDir();
    let relayer: Relayer | undefined;
    let fresh: TestChain | undefined;
    try {
      await test.chain.test.setAutomine(false);
      relayer = await relayTestChain(test, data.dataDir);
      const proposalId = await activeProposalWithMining(test);
      const accepted = await post(
        relayer,
        await signVote(test, test.key('bob'), { proposalId, support: 1 }),
      );
      await waitForBallot(relayer, String(accepted.body.id), (b) => b.status === 'sent');
      await relayer.stop();
      relayer = undefined;

      fresh = await startTestChain();
      const lines: string[] = [];
      relayer = await relayTestChain(fresh, data.dataDir, { lines });
      expect(lines.some((line) => line.includes('"chain_replaced"'))).toBe(true);
      const answer = await fetch(`${relayer.url}/ballots/${String(accepted.body.id)}`);
      expect(answer.status).toBe(404);
      // Nothing of the old queue reached the new chain.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        await fresh.chain.public.getTransactionCount({ address: fresh.address('relayer') }),
      ).toBe(0);
    } finally {
      await test.chain.test.setAutomine(true);
      await relayer?.stop();
      await fresh?.stop();
      data.drop();
    }
  });
});

/** `activeProposal` on a chain that mines only on demand: mining switched on for it, then off again. */
async function activeProposalWithMining(chain: TestChain): Promise<bigint> {
  await chain.chain.test.setAutomine(true);
  try {
    return await activeProposal(chain);
  } finally {
    await chain.chain.test.setAutomine(false);
  }
}

/** Whether the relayer's log has marked the ballot as handed to the node: its status stays `sent`. */
async function storedBroadcast(relayer: Relayer, id: string): Promise<boolean> {
  const response = await fetch(`${relayer.url}/ballots/${id}`);
  const ballot = (await response.json()) as { status: string; txHash?: string };
  if (ballot.status !== 'sent' || !ballot.txHash) return false;
  const pending = await test.chain.public.getTransaction({ hash: ballot.txHash as `0x${string}` });
  return pending.blockNumber === null;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
