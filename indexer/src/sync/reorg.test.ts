import { charterTokenAbi, modelRegistryAbi } from '@charter/contracts';
import { keccak256, parseEther, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Indexer } from '../startIndexer';
import { dumpDatabase } from '../testing/dumpDatabase';
import {
  followTestChain,
  modelDigest,
  setUpEvidence,
  startTestChain,
  submitResult,
  waitForHead,
  type TestChain,
} from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

// One chain that reorganises, followed by an indexer on each database at once.
describe('reorgs on PGlite and PostgreSQL', () => {
  let test: TestChain;
  const databases: TestDatabase[] = [];
  const indexers: Indexer[] = [];

  const start = async (kind: DatabaseKind) => {
    const database = await createTestDatabase(kind);
    databases.push(database);
    const indexer = await followTestChain(test, database, {
      // Most of the chain is backfilled as final; the last blocks are followed and can be replaced.
      finalityDepth: 16,
    });
    indexers.push(indexer);
    return { database, indexer };
  };

  beforeAll(async () => {
    test = await startTestChain();
    await setUpEvidence(test);
  });
  afterAll(async () => {
    for (const indexer of indexers) await indexer.stop();
    for (const database of databases) await database.drop();
    await test?.stop();
  });

  const transfer = (from: number, to: number, amount: string) =>
    test.chain.confirm(
      test.chain.wallet(test.keys[from]!).writeContract({
        address: test.deployment.contracts.token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [test.address(to), parseEther(amount)],
        // Estimated gas can fall short when the block's second differs from the estimate's.
        gas: 300_000n,
      }),
    );
  const register = (version: string) =>
    test.chain.confirm(
      // Account 1 maintains mail-guard: only it (or governance) adds versions.
      test.chain.wallet(test.keys[1]!).writeContract({
        address: test.deployment.contracts.modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: ['mail-guard', version, keccak256(toHex(version)), 'ipfs://x', `0x${'0'.repeat(64)}`],
      }),
    );

  it('leaves the database equal to a fresh index of the new chain', async () => {
    const { chain } = test;
    const followers = [await start('pglite'), await start('postgres')];
    const caughtUp = () =>
      Promise.all(followers.map(({ indexer }) => waitForHead(test, indexer.status)));
    await caughtUp();

    // A branch of five blocks, replaced by a shorter one of two.
    let snapshot = await chain.test.snapshot();
    await submitResult(test, 4, modelDigest('v2'), '0.95', '0.02');
    await transfer(1, 6, '100');
    await register('v3');
    await submitResult(test, 5, modelDigest('v2'), '0.91', '0.03');
    await transfer(3, 1, '5');
    await caughtUp();
    await chain.test.revert({ id: snapshot });
    await submitResult(test, 4, modelDigest('v2'), '0.80', '0.20', 'other branch');
    await transfer(2, 7, '7');
    await caughtUp();

    // A branch of two blocks, replaced by a longer one of four.
    snapshot = await chain.test.snapshot();
    await register('v4');
    await transfer(1, 2, '1');
    await caughtUp();
    await chain.test.revert({ id: snapshot });
    await register('v5');
    await transfer(3, 2, '3');
    await submitResult(test, 5, modelDigest('v1'), '0.99', '0.01');
    await chain.advanceTime(10);
    await caughtUp();

    for (const [i, kind] of (['pglite', 'postgres'] as const).entries()) {
      const follower = followers[i]!;
      const fresh = await start(kind);
      await fresh.indexer.ready();
      await waitForHead(test, fresh.indexer.status);
      await follower.indexer.stop();
      await fresh.indexer.stop();
      const reorged = await dumpDatabase(follower.database.options);
      const reference = await dumpDatabase(fresh.database.options);
      expect(reorged.checkpoint, kind).toEqual(reference.checkpoint);
      expect(reorged.tables, kind).toEqual(reference.tables);
      const versions = reorged.tables.models!.map(
        (model) => (model as { version: string }).version,
      );
      expect(versions.sort()).toEqual(['v1', 'v2', 'v5']);
    }
  });
});
