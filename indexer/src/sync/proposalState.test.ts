import {
  action,
  charterGovernorAbi,
  evidenceRegistryAbi,
  proposalArgs,
  timelockControllerAbi,
  type ProposalAction,
} from '@charter/contracts';
import { concat, pad, toHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createIndexerClient } from '../client';
import type { Indexer } from '../startIndexer';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';
import {
  followTestChain,
  governorState,
  guardianIndex,
  startTestChain,
  waitForHead,
  type TestChain,
} from '../testing/testChain';

// One chain, followed by an indexer on each database at once.
describe('proposal state on PGlite and PostgreSQL', () => {
  let test: TestChain;
  const databases: TestDatabase[] = [];
  const indexers: { kind: DatabaseKind; indexer: Indexer }[] = [];
  const proposals: bigint[] = [];

  beforeAll(async () => {
    test = await startTestChain();
    for (const kind of ['pglite', 'postgres'] as const) {
      const database = await createTestDatabase(kind);
      databases.push(database);
      const indexer = await followTestChain(test, database);
      indexers.push({ kind, indexer });
    }
  });
  afterAll(async () => {
    for (const { indexer } of indexers) await indexer.stop();
    for (const database of databases) await database.drop();
    await test?.stop();
  });

  /** After every step: each indexer's state of every proposal equals the governor's at the same block. */
  async function expectStatesMatch() {
    for (const { kind, indexer } of indexers) {
      const head = await waitForHead(test, indexer.status);
      const client = createIndexerClient(indexer.url);
      for (const id of proposals) {
        const indexed = await client.proposals.get(id.toString());
        // The answer names the block its state was derived at; the governor agrees at that block.
        expect(indexed.indexedBlock, kind).toBe(Number(head));
        const expected = await governorState(test, id, BigInt(indexed.indexedBlock));
        expect(indexed.state, `${kind}: proposal ${id} at block ${head}`).toBe(expected);
      }
    }
  }

  const admit = (name: string, index: number): ProposalAction[] => [
    action(test.deployment.contracts.evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
      test.address(index),
      name,
    ]),
  ];

  it('follows a proposal extended by a late quorum through queue and execution', async () => {
    const { chain, keys } = test;
    const actions = admit('Late Lab', 6);
    const id = await chain.propose(keys[1]!, actions, 'Late quorum');
    proposals.push(id);
    await expectStatesMatch(); // pending
    await chain.openVoting(id);
    await chain.vote(keys[1]!, id, 1); // 10k: below the 40k quorum
    await expectStatesMatch(); // active
    const deadline = await chain.public.readContract({
      address: test.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName: 'proposalDeadline',
      args: [id],
    });
    await chain.advanceTime(deadline - (await chain.now()) - 100n);
    await chain.vote(keys[3]!, id, 1); // 50k more, 100 s before the deadline: quorum reached late
    await expectStatesMatch();
    await chain.advanceTime(150); // past the original deadline: still active thanks to the extension
    await expectStatesMatch();
    for (const { indexer } of indexers) {
      const detail = await createIndexerClient(indexer.url).proposals.get(id.toString());
      expect(detail.extended).toBe(true);
      expect(detail.timeline.map((entry) => entry.event)).toContain('extended');
    }
    await chain.closeVoting(id);
    await expectStatesMatch(); // succeeded
    await chain.queue(keys[1]!, actions, 'Late quorum');
    await expectStatesMatch(); // queued, past its eta
    await chain.execute(keys[1]!, actions, 'Late quorum');
    await expectStatesMatch(); // executed
  });

  it('follows cancellations, defeats, and an execution on the timelock directly', async () => {
    const { chain, keys, deployment } = test;
    const governor = deployment.contracts.governor;
    const cancel = async (key: Hex, actions: ProposalAction[], description: string) => {
      const args = proposalArgs(actions, description);
      await chain.confirm(
        chain.wallet(key).writeContract({
          address: governor,
          abi: charterGovernorAbi,
          functionName: 'cancel',
          args: [args.targets, args.values, args.calldatas, args.descriptionHash],
        }),
      );
    };

    // The proposer cancels while pending.
    const early = admit('Early', 6);
    proposals.push(await chain.propose(keys[2]!, early, 'Cancelled early'));
    await expectStatesMatch();
    await cancel(keys[2]!, early, 'Cancelled early');
    await expectStatesMatch();

    // The guardian (the security council) cancels while active.
    const guarded = admit('Guarded', 6);
    const guardedId = await chain.propose(keys[2]!, guarded, 'Cancelled by the guardian');
    proposals.push(guardedId);
    await chain.openVoting(guardedId);
    await expectStatesMatch();
    await cancel(keys[guardianIndex]!, guarded, 'Cancelled by the guardian');
    await expectStatesMatch();

    // Defeated by a majority against, and defeated for want of quorum.
    const against = admit('Against', 6);
    const againstId = await chain.propose(keys[2]!, against, 'Voted down');
    const thin = admit('Thin', 6);
    const thinId = await chain.propose(keys[2]!, thin, 'Too few votes');
    proposals.push(againstId, thinId);
    await chain.openVoting(thinId);
    await chain.vote(keys[3]!, againstId, 0);
    await chain.vote(keys[2]!, againstId, 1);
    await chain.vote(keys[1]!, thinId, 1);
    await expectStatesMatch();
    await chain.closeVoting(thinId);
    await expectStatesMatch();

    // Queued through the governor, executed by calling the timelock directly.
    const direct = admit('Direct', 7);
    const description = 'Executed on the timelock';
    const directId = await chain.propose(keys[3]!, direct, description);
    proposals.push(directId);
    await chain.openVoting(directId);
    await chain.vote(keys[3]!, directId, 1);
    await chain.closeVoting(directId);
    await expectStatesMatch(); // succeeded
    await chain.queue(keys[3]!, direct, description);
    await expectStatesMatch();
    const args = proposalArgs(direct, description);
    const salt = toHex(
      BigInt(concat([governor, pad('0x', { size: 12 })])) ^ BigInt(args.descriptionHash),
      {
        size: 32,
      },
    );
    await chain.confirm(
      chain.wallet(keys[1]!).writeContract({
        address: deployment.contracts.timelock,
        abi: timelockControllerAbi,
        functionName: 'executeBatch',
        args: [args.targets, args.values, args.calldatas, pad('0x', { size: 32 }), salt],
      }),
    );
    await expectStatesMatch(); // executed, without a governor event

    for (const { indexer } of indexers) {
      const list = await createIndexerClient(indexer.url).proposals.list({ limit: 200 });
      expect(new Set(list.items.map((item) => item.state))).toEqual(
        new Set(['executed', 'canceled', 'defeated']),
      );
    }
  });
});
