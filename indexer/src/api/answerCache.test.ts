import { action, charterGovernorAbi, modelRegistryAbi } from '@charter/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createIndexerClient, type AtBlock, type Proposal } from '../client';
import type { Indexer } from '../startIndexer';
import {
  followTestChain,
  modelDigest,
  startTestChain,
  waitForHead,
  type TestChain,
} from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';
import { answerCacheControl } from './createApp';

// One chain, followed by an indexer on each database at once; one proposal open for voting.
let test: TestChain;
const targets: { kind: DatabaseKind; database: TestDatabase; indexer: Indexer }[] = [];
let proposalId: bigint;

beforeAll(async () => {
  test = await startTestChain();
  for (const kind of ['pglite', 'postgres'] as const) {
    const database = await createTestDatabase(kind);
    const indexer = await followTestChain(test, database, {
      finalityDepth: 16,
    });
    targets.push({ kind, database, indexer });
  }
  const deprecate = action(test.deployment.contracts.modelRegistry, modelRegistryAbi, 'deprecate', [
    modelDigest('v1'),
  ]);
  proposalId = await test.chain.propose(test.keys[3]!, [deprecate], 'A contested proposal');
  await test.chain.openVoting(proposalId);
  for (const { indexer } of targets) await indexer.ready();
});
afterAll(async () => {
  for (const { indexer } of targets) await indexer.stop();
  for (const { database } of targets) await database.drop();
  await test?.stop();
});

const caughtUp = () => Promise.all(targets.map(({ indexer }) => waitForHead(test, indexer.status)));

/** The governor's own tally of the proposal at a block. */
async function tallyAt(block: number) {
  const [against, forVotes, abstain] = await test.chain.public.readContract({
    address: test.deployment.contracts.governor,
    abi: charterGovernorAbi,
    functionName: 'proposalVotes',
    args: [proposalId],
    blockNumber: BigInt(block),
  });
  return { againstVotes: `${against}`, forVotes: `${forVotes}`, abstainVotes: `${abstain}` };
}

describe('answers tied to the indexed block, on PGlite and PostgreSQL', () => {
  it('tags each answer with the block, and answers 304 until the block moves', async () => {
    for (const { kind, indexer } of targets) {
      const head = Number(await waitForHead(test, indexer.status));
      const url = `${indexer.url}/proposals/${proposalId}`;
      const first = await fetch(url);
      const etag = first.headers.get('etag')!;
      expect(first.status, kind).toBe(200);
      expect(etag, kind).toMatch(
        new RegExp(`^W/"${test.deployment.chainId}-${head}-0x[0-9a-f]{64}-`),
      );
      expect(first.headers.get('cache-control'), kind).toBe(answerCacheControl);
      expect(first.headers.get('x-indexed-block'), kind).toBe(String(head));
      const proposal = (await first.json()) as AtBlock<Proposal>;
      expect(proposal.indexedBlock, kind).toBe(head);
      // A page on another origin may read the validator, and revalidate with it.
      expect(first.headers.get('access-control-allow-origin'), kind).toBe('*');
      expect(first.headers.get('access-control-expose-headers'), kind).toContain('ETag');
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://charter.example',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'if-none-match',
        },
      });
      expect(preflight.status, kind).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers'), kind).toBe('if-none-match');

      const again = await fetch(url, { headers: { 'If-None-Match': etag } });
      expect(again.status, kind).toBe(304);
      expect(await again.text(), kind).toBe('');
      expect(again.headers.get('etag'), kind).toBe(etag);
      expect(again.headers.get('x-indexed-block'), kind).toBe(String(head));
      // A list of validators, weak or not, matches if any of them does.
      const listed = await fetch(url, { headers: { 'If-None-Match': `"other", ${etag}` } });
      expect(listed.status, kind).toBe(304);

      // Another URL at the same block is another answer.
      const votes = await fetch(`${url}/votes`, { headers: { 'If-None-Match': etag } });
      expect(votes.status, kind).toBe(200);
      expect(votes.headers.get('etag'), kind).not.toBe(etag);

      // Errors are not tied to a block and must not be stored.
      const missing = await fetch(`${indexer.url}/proposals/12345`);
      expect(missing.status, kind).toBe(404);
      expect(missing.headers.get('etag'), kind).toBeNull();
      expect(missing.headers.get('cache-control'), kind).toBe('no-store');
    }

    await test.chain.test.mine({ blocks: 1 });
    for (const { kind, indexer } of targets) {
      const head = Number(await waitForHead(test, indexer.status));
      const url = `${indexer.url}/proposals/${proposalId}`;
      const stale = (await fetch(url, { method: 'HEAD' })).headers.get('etag')!;
      expect(stale, kind).toContain(`-${head}-`);
      await test.chain.test.mine({ blocks: 1 });
      await waitForHead(test, indexer.status);
      const moved = await fetch(url, { headers: { 'If-None-Match': stale } });
      expect(moved.status, kind).toBe(200);
      expect(moved.headers.get('etag'), kind).toContain(`-${head + 1}-`);
      expect(((await moved.json()) as AtBlock<Proposal>).indexedBlock, kind).toBe(head + 1);
    }
  });

  it('never answers from a block older than the one the stream announced, under load', async () => {
    type Seen = { askedAfter: number; indexedBlock: number; tally: Record<string, string> };
    for (const { kind, indexer } of targets) {
      await waitForHead(test, indexer.status);
      const client = createIndexerClient(indexer.url);
      // The newest block the stream announced, as a reader deciding to re-fetch would know it.
      let announced = 0;
      let unsubscribe!: () => void;
      await new Promise<void>((opened) => {
        unsubscribe = client.subscribe(() => {}, {
          onOpen: opened,
          onBlock: (block) => (announced = Math.max(announced, block.number)),
        });
      });
      const seen: Seen[] = [];
      let hammering = true;
      const reader = async () => {
        while (hammering) {
          const askedAfter = announced;
          const proposal = await client.proposals.get(proposalId.toString());
          const { indexedBlock, againstVotes, forVotes, abstainVotes } = proposal;
          seen.push({ askedAfter, indexedBlock, tally: { againstVotes, forVotes, abstainVotes } });
        }
      };
      const readers = Array.from({ length: 8 }, reader);
      const voter = kind === 'pglite' ? 1 : 2;
      await test.chain.vote(test.keys[voter]!, proposalId, 1, `for, on ${kind}`);
      await test.chain.test.mine({ blocks: 2 });
      const head = Number(await waitForHead(test, indexer.status));
      // Keep reading a while after the head moved, and long enough for the load to mean something however
      // busy the machine is: the check is on what was read, not on how fast.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThan(50);
      hammering = false;
      await Promise.all(readers);
      unsubscribe();

      expect(announced, kind).toBe(head);
      for (const answer of seen) {
        expect(answer.indexedBlock, kind).toBeGreaterThanOrEqual(answer.askedAfter);
      }
      // Every block an answer named shows the tally the governor has at that block.
      const blocks = [...new Set(seen.map((answer) => answer.indexedBlock))];
      expect(blocks, kind).toContain(head);
      for (const block of blocks) {
        const expected = await tallyAt(block);
        for (const answer of seen.filter((answer) => answer.indexedBlock === block)) {
          expect(answer.tally, `${kind} at ${block}`).toEqual(expected);
        }
      }
      const last = seen.at(-1)!;
      expect(BigInt(last.tally.forVotes!), kind).toBeGreaterThan(0n);
    }
  });

  it('forgets what a reorg replaced', async () => {
    await caughtUp();
    const snapshot = await test.chain.test.snapshot();
    await test.chain.vote(test.keys[3]!, proposalId, 0, 'against, on a branch that will go');
    const branch = Number(await test.chain.public.getBlockNumber());
    await caughtUp();
    const before = await Promise.all(
      targets.map(async ({ indexer }) => {
        const response = await fetch(`${indexer.url}/proposals/${proposalId}`);
        return {
          etag: response.headers.get('etag')!,
          proposal: (await response.json()) as AtBlock<Proposal>,
        };
      }),
    );
    for (const [i, { kind }] of targets.entries()) {
      expect(before[i]!.proposal.indexedBlock, kind).toBe(branch);
      expect(before[i]!.proposal.againstVotes, kind).not.toBe('0');
    }

    // The same height again, on another branch, without the vote.
    await test.chain.test.revert({ id: snapshot });
    await test.chain.test.mine({ blocks: 1 });
    const replaced = await test.chain.public.getBlock();
    expect(Number(replaced.number)).toBe(branch);
    await caughtUp();
    for (const [i, { kind, indexer }] of targets.entries()) {
      const response = await fetch(`${indexer.url}/proposals/${proposalId}`, {
        headers: { 'If-None-Match': before[i]!.etag },
      });
      expect(response.status, kind).toBe(200);
      expect(response.headers.get('etag'), kind).toContain(replaced.hash);
      const proposal = (await response.json()) as AtBlock<Proposal>;
      expect(proposal.indexedBlock, kind).toBe(branch);
      expect(proposal.againstVotes, kind).toBe('0');
      expect(proposal).toMatchObject(await tallyAt(branch));
    }
  });
});
