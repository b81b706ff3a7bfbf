import { charterTokenAbi, modelRegistryAbi } from '@charter/contracts';
import { keccak256, parseEther, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../log';
import type { Indexer } from '../startIndexer';
import { dumpDatabase } from '../testing/dumpDatabase';
import { startFaultyRpcProxy, type FaultyRpcProxy } from '../testing/faultyRpcProxy';
import {
  followTestChain,
  setUpEvidence,
  startTestChain,
  waitForHead,
  type TestChain,
} from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

// The chain reverts to a shorter one between a follow step's reading of the head and its `eth_getLogs`
// for the blocks up to that head: a proxy holds the logs request until the test has reverted.
describe('a reorg to a shorter chain in the middle of a follow step', () => {
  let test: TestChain;
  let proxy: FaultyRpcProxy;
  const databases: TestDatabase[] = [];
  const indexers: Indexer[] = [];

  beforeAll(async () => {
    test = await startTestChain();
    await setUpEvidence(test);
    proxy = await startFaultyRpcProxy(test.anvil.rpcUrl, {
      rates: { dropped: 0, tooMany: 0, badGateway: 0, hung: 0, delayed: 0, truncated: 0 },
    });
  });
  afterAll(async () => {
    for (const indexer of indexers) await indexer.stop();
    for (const database of databases) await database.drop();
    await proxy?.stop();
    await test?.stop();
  });

  const start = async (kind: DatabaseKind, rpcUrl: string) => {
    const database = await createTestDatabase(kind);
    databases.push(database);
    const events: { event: string; error?: { message: string } }[] = [];
    const logger = createLogger('debug', (line) => events.push(JSON.parse(line)));
    const indexer = await followTestChain(test, database, { rpcUrl, finalityDepth: 16, logger });
    indexers.push(indexer);
    return { kind, database, indexer, events };
  };

  const transfer = (from: number, to: number, amount: string) =>
    test.chain.confirm(
      test.chain.wallet(test.keys[from]!).writeContract({
        address: test.deployment.contracts.token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [test.address(to), parseEther(amount)],
        gas: 300_000n,
      }),
    );
  const register = (version: string) =>
    test.chain.confirm(
      test.chain.wallet(test.keys[1]!).writeContract({
        address: test.deployment.contracts.modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: ['mail-guard', version, keccak256(toHex(version)), 'ipfs://x', `0x${'0'.repeat(64)}`],
      }),
    );

  it('reads the head again, undoes the replaced blocks and indexes the new branch', async () => {
    const { chain } = test;
    const kinds = ['pglite', 'postgres'] as const;
    const followers = [await start('pglite', proxy.url), await start('postgres', proxy.url)];
    const caughtUp = () =>
      Promise.all(followers.map(({ indexer }) => waitForHead(test, indexer.status)));
    await caughtUp();

    const snapshot = await chain.test.snapshot();
    await register('v3'); // indexed, then replaced
    await caughtUp();
    const held = proxy.hold('eth_getLogs');
    await transfer(1, 6, '100'); // each follower reads this head, then asks for its logs
    await held.waiting(followers.length);
    await chain.test.revert({ id: snapshot });
    await register('v4'); // one block on the new branch: shorter than the head the followers read
    held.release();
    await caughtUp();
    await transfer(2, 7, '7'); // and the sync goes on
    await caughtUp();

    for (const [i, kind] of kinds.entries()) {
      const follower = followers[i]!;
      expect(follower.indexer.status.failure, kind).toBeUndefined();
      // The logs request met the shorter chain (anvil: "BlockOutOfRangeError"), then the reorg was found.
      const shortened = follower.events.find(({ event }) => event === 'chain_shortened');
      expect(shortened?.error?.message, kind).toMatch(/out of range|OutOfRange/i);
      expect(
        follower.events.map(({ event }) => event),
        kind,
      ).toContain('reorg');
      const fresh = await start(kind, test.anvil.rpcUrl);
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
      expect(versions.sort(), kind).toEqual(['v1', 'v2', 'v4']);
    }
  });
});
