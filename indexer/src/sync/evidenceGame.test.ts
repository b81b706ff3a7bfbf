import {
  evidenceRegistryAbi,
  resolveDisputeAction,
  setGameParametersAction,
  setResolverAction,
} from '@charter/contracts';
import { resultId } from '@charter/contracts/protocol';
import {
  ContractFunctionRevertedError,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
  type BaseError,
  type Hex,
} from 'viem';
import { describe, expect, it } from 'vitest';

import { IndexerError, type Change } from '../client';
import { dumpDatabase } from '../testing/dumpDatabase';
import { followOnEveryDatabase } from '../testing/followers';
import {
  disputeResult,
  guardianIndex,
  modelDigest,
  submitResult,
  suiteId,
  testEvidenceGame,
  testSamples,
  waitForHead,
  type TestChain,
} from '../testing/testChain';

// The evidence game on one chain, followed live by an indexer on each database: bonds, disputes opened,
// upheld (slashing), rejected and lapsed, credits withdrawn, and a reorg that drops a dispute.
describe('the evidence game on PGlite and PostgreSQL', () => {
  let test: TestChain;
  const { followers, start, caughtUp, clients } = followOnEveryDatabase((t) => (test = t));
  const v1 = modelDigest('v1');
  const { minBond, disputeBond, disputerShareBps } = testEvidenceGame;
  // Reports: evaluator 4 inflates (disputed, upheld); evaluator 5 is honest (disputed twice, in vain).
  const inflated = 'four-inflated';
  const honest = 'five-honest';

  const registry = () => test.deployment.contracts.evidenceRegistry;
  const call = (key: number, functionName: string, args: unknown[] = []) =>
    test.chain.send(test.keys[key]!, {
      address: registry(),
      abi: evidenceRegistryAbi,
      functionName,
      args,
    } as never);
  const resolve = (disputeId: number, upheld: boolean) =>
    call(guardianIndex, 'resolveDispute', [BigInt(disputeId), upheld]);
  const slot = (evaluator: number) => resultId(v1, suiteId, test.address(evaluator));
  const resultOf = (evaluator: number, report: string) =>
    `${slot(evaluator)}:${keccak256(toHex(report))}`;

  it('shows the game parameters, the resolver and the evaluators’ bonds', async () => {
    await caughtUp();
    for (const { kind, client } of clients()) {
      const governance = await client.governance();
      expect(governance.gameParameters, kind).toEqual({
        challengePeriod: testEvidenceGame.challengePeriod,
        minBond: minBond.toString(),
        disputeBond: disputeBond.toString(),
        unbondingDelay: testEvidenceGame.unbondingDelay,
        resolutionTimeout: testEvidenceGame.resolutionTimeout,
        disputerShareBps,
      });
      expect(governance.resolver, kind).toBe(test.address(guardianIndex));
      const four = await client.evaluators.get(test.address(4));
      expect(four.stake, kind).toEqual({
        bonded: minBond.toString(),
        unbonding: '0',
        unbondingReadyAt: null,
        meetsMinBond: true,
        openDisputes: 0,
        slashed: '0',
      });
      expect(four.bondHistory, kind).toEqual([
        expect.objectContaining({ change: 'bonded', amount: minBond.toString() }),
      ]);
    }
  });

  it('shows a result in its challenge window, then disputed, with the sample and both outcomes', async () => {
    await submitResult(test, 4, v1, '0.99', '0.01', inflated);
    await submitResult(test, 5, v1, '0.93', '0.02', honest);
    const submittedAt = Number(await test.chain.now());
    await caughtUp();
    for (const { kind, client } of clients()) {
      const result = await client.results.get(resultOf(4, inflated));
      expect(result.standing, kind).toBe('in-window');
      expect(result.countsFrom - result.submittedAt, kind).toBe(testEvidenceGame.challengePeriod);
      expect(result.bond, kind).toBe(minBond.toString());
      expect(result.disputes, kind).toEqual([]);
    }

    // An outsider (account 6) disputes 4's first sample, claiming it was not flagged; the stream
    // announces the dispute, its result and its evaluator.
    const streams = await Promise.all(
      clients().map(async ({ client }) => {
        const changes: Change[] = [];
        let unsubscribe!: () => void;
        await new Promise<void>((opened) => {
          unsubscribe = client.subscribe((change) => changes.push(change), { onOpen: opened });
        });
        return { changes, unsubscribe };
      }),
    );
    await disputeResult(test, 6, 4, v1, inflated, 0, 0n);
    await caughtUp();
    for (const { changes, unsubscribe } of streams) {
      const deadline = Date.now() + 5000;
      while (!changes.some((change) => change.kind === 'dispute') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      unsubscribe();
      expect(changes.map(({ kind, id }) => ({ kind, id }))).toEqual(
        expect.arrayContaining([
          { kind: 'dispute', id: '1' },
          { kind: 'result', id: resultOf(4, inflated) },
          { kind: 'evaluator', id: test.address(4) },
        ]),
      );
    }
    const [sample] = testSamples(inflated);
    for (const { kind, client } of clients()) {
      const dispute = await client.disputes.get(1);
      expect(dispute, kind).toMatchObject({
        id: 1,
        result: resultOf(4, inflated),
        resultId: slot(4),
        reportDigest: keccak256(toHex(inflated)),
        modelId: v1,
        evaluator: test.address(4),
        disputer: test.address(6),
        bond: disputeBond.toString(),
        sample: {
          id: sample.id,
          label: '1',
          prediction: '1',
          score: sample.score.toString(),
        },
        claim: {
          prediction: '0',
          score: '0',
          reportDigest: keccak256(toHex(`counter-report 6 ${inflated}`)),
          uri: `ipfs://reports/counter-6-${inflated}`,
        },
        status: 'open',
        resolution: null,
        lapsable: false,
        payout: null,
      });
      expect(dispute.lapsesAt - dispute.openedAt, kind).toBe(testEvidenceGame.resolutionTimeout);
      expect(dispute.openedAt, kind).toBeGreaterThanOrEqual(submittedAt);
      const result = await client.results.get(resultOf(4, inflated));
      expect(result.status, kind).toBe('disputed');
      expect(result.standing, kind).toBe('disputed');
      expect(
        result.disputes.map((d) => d.id),
        kind,
      ).toEqual([1]);
      expect((await client.evaluators.get(test.address(4))).stake.openDisputes, kind).toBe(1);
    }
  });

  it('slashes the evaluator when a dispute is upheld, and credits the disputer and the treasury', async () => {
    await resolve(1, true);
    await caughtUp();
    const disputerShare = (minBond * BigInt(disputerShareBps)) / 10_000n;
    for (const { kind, client } of clients()) {
      const dispute = await client.disputes.get(1);
      expect(dispute, kind).toMatchObject({ status: 'upheld', resolution: 'upheld' });
      expect(dispute.payout, kind).toEqual({
        slashed: minBond.toString(),
        toDisputer: (disputerShare + disputeBond).toString(),
        toEvaluator: '0',
        toTreasury: (minBond - disputerShare).toString(),
      });
      const result = await client.results.get(resultOf(4, inflated));
      expect(result.status, kind).toBe('struck');
      expect(result.standing, kind).toBe('struck');
      const four = await client.evaluators.get(test.address(4));
      expect(four.stake, kind).toMatchObject({
        bonded: '0',
        unbonding: '0',
        meetsMinBond: false,
        openDisputes: 0,
        slashed: minBond.toString(),
      });
      expect(four.bondHistory[0], kind).toMatchObject({
        change: 'slashed',
        amount: minBond.toString(),
        bonded: '0',
        disputeId: 1,
      });
      expect(
        four.upheldDisputes.map((d) => d.id),
        kind,
      ).toEqual([1]);
      const disputer = await client.accounts.get(test.address(6));
      expect(disputer.credit, kind).toBe((disputerShare + disputeBond).toString());
      const treasury = await client.accounts.get(test.deployment.contracts.timelock);
      expect(treasury.credit, kind).toBe((minBond - disputerShare).toString());
    }
    // The credit matches the registry's, and withdrawing it (by anyone, to the account) empties it.
    const credit = (account: Hex) =>
      test.chain.public.readContract({
        address: registry(),
        abi: evidenceRegistryAbi,
        functionName: 'credits',
        args: [account],
      } as never) as Promise<bigint>;
    expect(await credit(test.address(6))).toBe(disputerShare + disputeBond);
    await call(9, 'withdrawCredit', [test.address(6)]);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect((await client.accounts.get(test.address(6))).credit, kind).toBe('0');
    }
  });

  it('gives a rejected dispute’s bond to the evaluator, and rejects a lapsed one by default', async () => {
    await disputeResult(test, 7, 5, v1, honest, 1, 0n); // dispute 2: rejected by the resolver
    await disputeResult(test, 3, 5, v1, honest, 0, 0n); // dispute 3: left to lapse
    await resolve(2, false);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect(await client.disputes.get(2), kind).toMatchObject({
        status: 'rejected',
        resolution: 'rejected',
        payout: {
          slashed: '0',
          toDisputer: '0',
          toEvaluator: disputeBond.toString(),
          toTreasury: '0',
        },
      });
      // Still disputed: dispute 3 is open.
      const result = await client.results.get(resultOf(5, honest));
      expect(result.standing, kind).toBe('disputed');
      expect(
        result.disputes.map((d) => [d.id, d.status]),
        kind,
      ).toEqual([
        [2, 'rejected'],
        [3, 'open'],
      ]);
    }

    await test.chain.advanceTime(testEvidenceGame.resolutionTimeout);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect((await client.disputes.get(3)).lapsable, kind).toBe(true);
    }
    await call(9, 'resolveLapsedDispute', [3n]);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect(await client.disputes.get(3), kind).toMatchObject({
        status: 'rejected',
        resolution: 'lapsed',
        lapsable: false,
      });
      const result = await client.results.get(resultOf(5, honest));
      expect(result.status, kind).toBe('valid');
      // Long past its window, undisputed again, bonded: it counts.
      expect(result.standing, kind).toBe('counts');
      const five = await client.evaluators.get(test.address(5));
      expect(five.credit, kind).toBe((2n * disputeBond).toString());
      expect(five.upheldDisputes, kind).toEqual([]);
      expect(five.stake.openDisputes, kind).toBe(0);
    }
  });

  it('follows unbonding and withdrawal, and the results of an underbonded evaluator', async () => {
    const part = parseEther('0.25');
    await call(5, 'unbond', [part]);
    await caughtUp();
    const readyAt = Number(await test.chain.now()) + testEvidenceGame.unbondingDelay;
    for (const { kind, client } of clients()) {
      const five = await client.evaluators.get(test.address(5));
      expect(five.stake, kind).toMatchObject({
        bonded: (minBond - part).toString(),
        unbonding: part.toString(),
        unbondingReadyAt: readyAt,
        meetsMinBond: false,
      });
      expect(five.bondHistory[0], kind).toMatchObject({
        change: 'unbonding',
        amount: part.toString(),
      });
      const result = await client.results.get(resultOf(5, honest));
      expect(result.standing, kind).toBe('underbonded');
    }
    await test.chain.advanceTime(testEvidenceGame.unbondingDelay);
    await call(5, 'withdrawBond');
    await caughtUp();
    for (const { kind, client } of clients()) {
      const five = await client.evaluators.get(test.address(5));
      expect(five.stake, kind).toMatchObject({ unbonding: '0', unbondingReadyAt: null });
      expect(
        five.bondHistory.map((entry) => entry.change),
        kind,
      ).toEqual(['withdrawn', 'unbonding', 'bonded']);
    }
  });

  it('filters disputes, and answers a bad filter with a 400 naming it', async () => {
    for (const { kind, client } of clients()) {
      const ids = async (params: Parameters<typeof client.disputes.list>[0]) =>
        (await client.disputes.list(params)).items.map((dispute) => dispute.id);
      expect(await ids({}), kind).toEqual([3, 2, 1]);
      expect(await ids({ status: 'upheld' }), kind).toEqual([1]);
      expect(await ids({ status: 'rejected' }), kind).toEqual([3, 2]);
      expect(await ids({ status: 'open' }), kind).toEqual([]);
      expect(await ids({ evaluator: test.address(5) }), kind).toEqual([3, 2]);
      expect(await ids({ disputer: test.address(6) }), kind).toEqual([1]);
      expect(await ids({ model: v1 }), kind).toEqual([3, 2, 1]);
      expect(await ids({ model: modelDigest('v2') }), kind).toEqual([]);
      expect(await ids({ result: resultOf(5, honest) }), kind).toEqual([3, 2]);
      expect(await ids({ result: slot(4) }), kind).toEqual([1]);
      const first = await client.disputes.list({ limit: 2 });
      expect(await ids({ limit: 2, cursor: first.nextCursor! }), kind).toEqual([1]);

      const refused = async (params: Record<string, string>, parameter: string) => {
        const error = await client.disputes.list(params as never).catch((e: unknown) => e);
        expect(error, `${kind} ${JSON.stringify(params)}`).toBeInstanceOf(IndexerError);
        expect((error as IndexerError).status).toBe(400);
        expect((error as IndexerError).parameter).toBe(parameter);
      };
      await refused({ status: 'closed' }, 'status');
      await refused({ evaluator: '0x1234' }, 'evaluator');
      await refused({ disputer: 'alice' }, 'disputer');
      await refused({ model: '0xabc' }, 'model');
      await refused({ result: `${v1}:nope` }, 'result');
      await refused({ limit: '0' }, 'limit');
      for (const [id, status] of [
        ['0', 400],
        ['abc', 400],
        ['1.5', 400],
        ['99', 404],
      ] as const) {
        const error = await client.disputes.get(id).catch((e: unknown) => e);
        expect((error as IndexerError).status, `${kind} /disputes/${id}`).toBe(status);
      }
    }
  });

  it('describes a proposal resolving a dispute in words', async () => {
    const actions = [resolveDisputeAction(test.deployment, 1n, true)];
    const id = await test.chain.propose(test.keys[3]!, actions, 'Uphold dispute 1');
    await caughtUp();
    for (const { kind, client } of clients()) {
      const proposal = await client.proposals.get(id.toString());
      expect(proposal.kinds, kind).toEqual(['resolve-dispute']);
      expect(proposal.actions[0]!.summary, kind).toBe(
        `uphold dispute #1 against Lab Four's result for mail-guard v1 (sample "${testSamples(inflated)[0].id}")`,
      );
    }
  });

  it('re-times open disputes and every window when governance changes the game, and drops the resolver', async () => {
    await submitResult(test, 5, v1, '0.94', '0.02', 'five-later');
    await disputeResult(test, 6, 5, v1, 'five-later'); // dispute 4
    const game = { ...testEvidenceGame, challengePeriod: 300, resolutionTimeout: 7200 };
    const actions = [
      setGameParametersAction(test.deployment, game),
      setResolverAction(test.deployment, zeroAddress),
    ];
    const description = 'Longer windows, and no resolver';
    const id = await test.chain.propose(test.keys[3]!, actions, description);
    await caughtUp();
    for (const { kind, client } of clients()) {
      const proposal = await client.proposals.get(id.toString());
      expect(proposal.kinds, kind).toEqual(['set-game-parameters', 'set-resolver']);
      expect(
        proposal.actions.map((action) => action.summary),
        kind,
      ).toEqual([
        'set the evidence game: results count 5 min after they are posted, evaluators bond at ' +
          'least 1 ETH, a dispute carries 0.1 ETH, unbonding takes 10 min, unresolved disputes are ' +
          'rejected after 2 h, and a disputer proven right gets 40% of the slashed stake',
        'leave disputes to governance alone (no resolver)',
      ]);
    }
    await test.chain.openVoting(id);
    await test.chain.vote(test.keys[0]!, id, 1);
    await test.chain.closeVoting(id);
    await test.chain.queue(test.keys[3]!, actions, description);
    await test.chain.execute(test.keys[3]!, actions, description);
    await caughtUp();
    for (const { kind, client } of clients()) {
      const governance = await client.governance();
      expect(governance.gameParameters, kind).toMatchObject({
        challengePeriod: 300,
        resolutionTimeout: 7200,
      });
      expect(governance.resolver, kind).toBeNull();
      const dispute = await client.disputes.get(4);
      expect(dispute.lapsesAt - dispute.openedAt, kind).toBe(7200);
      expect(
        (await client.disputes.get(3)).lapsesAt - (await client.disputes.get(3)).openedAt,
        kind,
      ).toBe(testEvidenceGame.resolutionTimeout);
      const result = await client.results.get(resultOf(5, 'five-later'));
      expect(result.countsFrom - result.submittedAt, kind).toBe(300);
    }
    // The registry agrees on when dispute 4 lapses: it refuses to close it before, naming the time.
    const refusal = (await test.chain.public
      .simulateContract({
        address: registry(),
        abi: evidenceRegistryAbi,
        functionName: 'resolveLapsedDispute',
        args: [4n],
      })
      .catch((error: unknown) => error)) as BaseError;
    const revert = refusal.walk((e) => e instanceof ContractFunctionRevertedError) as
      ContractFunctionRevertedError | undefined;
    expect(revert?.data?.errorName).toBe('EvidenceRegistryResolutionNotLapsed');
    for (const { kind, client } of clients()) {
      expect(BigInt((await client.disputes.get(4)).lapsesAt), kind).toBe(revert!.data!.args![1]);
    }
  });

  it('drops a dispute that a reorg removes, as a fresh index of the new chain would', async () => {
    const snapshot = await test.chain.test.snapshot();
    await submitResult(test, 4, v1, '0.97', '0.01', 'four-again');
    await disputeResult(test, 6, 4, v1, 'four-again', 1, 0n); // dispute 5
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect((await client.disputes.get(5)).status, kind).toBe('open');
      expect((await client.evaluators.get(test.address(4))).stake.openDisputes, kind).toBe(1);
    }
    await test.chain.test.revert({ id: snapshot });
    await test.chain.test.mine({ blocks: 1 });
    await caughtUp();
    for (const [i, { kind, client }] of clients().entries()) {
      const error = await client.disputes.get(5).catch((e: unknown) => e);
      expect((error as IndexerError).status, kind).toBe(404);
      expect((await client.evaluators.get(test.address(4))).stake.openDisputes, kind).toBe(0);
      const follower = followers[i]!;
      const fresh = await start(kind);
      await fresh.indexer.ready();
      await waitForHead(test, fresh.indexer.status);
      await fresh.indexer.stop();
      await follower.indexer.stop();
      const reorged = await dumpDatabase(follower.database.options);
      const reference = await dumpDatabase(fresh.database.options);
      expect(reorged.tables, kind).toEqual(reference.tables);
      expect(reorged.tables.disputes, kind).toHaveLength(4);
      expect(reorged.tables.bond_events, kind).toEqual(reference.tables.bond_events);
    }
  });
});
