import type { evidenceRegistryAbi } from '@charter/contracts';
import {
  bytes32ToText,
  disputeOutcome,
  DisputeStatus,
  ResultStatus,
} from '@charter/contracts/protocol';
import { eq, sql } from 'drizzle-orm';
import type { Hex } from 'viem';

import type { BondChange } from '../../client/vocabulary';
import {
  bondEvents,
  credits,
  disputes,
  evaluators,
  governance,
  results,
  resultSlots,
  suites,
} from '../../database/schema';
import type { Store } from '../../database/store';
import type { ChainEvent } from '../decodeLogs';
import { isZeroAddress, type Handlers } from './context';

export const evidenceHandlers: Handlers<typeof evidenceRegistryAbi> = {
  async SuiteRegistered({ suiteId, datasetDigest, metricIds, uri }, { store, event }) {
    store.set(suites, {
      id: suiteId,
      datasetDigest,
      metricIds: [...metricIds],
      metrics: metricIds.map(bytes32ToText),
      uri,
      registeredAt: event.at,
      block: event.block,
      tx: event.tx,
    });
  },

  async EvaluatorAdmitted({ evaluator, name }, { store, event }) {
    // The registry's EnumerableSet appends: the new member's index is the current size.
    await store.flush();
    const [{ size }] = (await store
      .database()
      .select({ size: sql<number>`count(*)::int` })
      .from(evaluators)
      .where(eq(evaluators.admitted, true))) as [{ size: number }];
    const previous = await store.find(evaluators, { address: evaluator });
    store.set(evaluators, {
      address: evaluator,
      name,
      admitted: true,
      admittedAt: event.at,
      removedAt: null,
      setIndex: size,
      resultCount: previous?.resultCount ?? 0,
      // Admitted with no active bond; readmitted, it keeps what is still unbonding and its record.
      bonded: 0n,
      unbonding: previous?.unbonding ?? 0n,
      unbondingReadyAt: previous?.unbondingReadyAt ?? null,
      openDisputes: previous?.openDisputes ?? 0,
      slashed: previous?.slashed ?? 0n,
    });
  },

  async EvaluatorRemoved({ evaluator }, { store, event }) {
    // EnumerableSet removes by moving its last member into the freed slot.
    await store.flush();
    const removed = await store.get(evaluators, { address: evaluator });
    const [last] = await store
      .database()
      .select({ address: evaluators.address })
      .from(evaluators)
      .where(eq(evaluators.admitted, true))
      .orderBy(sql`${evaluators.setIndex} desc`)
      .limit(1);
    if (last && last.address !== evaluator) {
      await store.update(evaluators, { address: last.address }, { setIndex: removed.setIndex });
    }
    store.set(evaluators, { ...removed, admitted: false, removedAt: event.at, setIndex: null });
  },

  async ResultSubmitted(args, { store, event }) {
    const { resultId, modelId, suiteId, evaluator, reportDigest, samplesRoot, uri } = args;
    const id = `${resultId}:${reportDigest}`;
    const slot = await store.find(resultSlots, { resultId });
    if (slot && slot.liveId !== id) {
      await store.update(results, { id: slot.liveId }, { superseded: true });
    }
    const earlier = await store.find(results, { id });
    store.set(results, {
      id,
      resultId,
      modelId,
      suiteId,
      evaluator,
      values: args.values.map(String),
      reportDigest,
      samplesRoot,
      uri,
      submittedAt: event.at,
      block: event.block,
      logIndex: event.logIndex,
      tx: event.tx,
      status: earlier?.openDisputes ? ResultStatus.disputed : ResultStatus.valid,
      superseded: false,
      // The same report posted again (after another report) is the same result, with its disputes.
      disputeCount: earlier?.disputeCount ?? 0,
      openDisputes: earlier?.openDisputes ?? 0,
    });
    store.set(resultSlots, { resultId, liveId: id });
    await store.update(evaluators, { address: evaluator }, (row) => ({
      resultCount: row.resultCount + 1,
    }));
  },

  async ResultDisputed(args, { store, event }) {
    const { disputeId, resultId, disputer, evaluator, reportDigest, committed, claim } = args;
    const result = await store.update(results, { id: `${resultId}:${reportDigest}` }, (row) => ({
      // A struck version stays struck; any other is disputed while a dispute on it is open.
      status: row.status === ResultStatus.struck ? row.status : ResultStatus.disputed,
      disputeCount: row.disputeCount + 1,
      openDisputes: row.openDisputes + 1,
    }));
    await store.update(evaluators, { address: evaluator }, (row) => ({
      openDisputes: row.openDisputes + 1,
    }));
    store.set(disputes, {
      id: Number(disputeId),
      result: result.id,
      resultId,
      reportDigest,
      modelId: result.modelId,
      suiteId: result.suiteId,
      evaluator,
      disputer,
      bond: args.bond,
      sampleId: committed.id,
      sampleLabel: committed.label,
      samplePrediction: committed.prediction,
      sampleScore: committed.score,
      claimedPrediction: claim.prediction,
      claimedScore: claim.score,
      claimReportDigest: claim.reportDigest.toLowerCase() as Hex,
      claimUri: claim.uri,
      openedAt: event.at,
      lapsesAt: Number(args.lapsesAt),
      block: event.block,
      logIndex: event.logIndex,
      tx: event.tx,
      status: DisputeStatus.open,
      lapsed: false,
      resolvedAt: null,
      resolvedBlock: null,
      resolvedTx: null,
      slashed: null,
      toDisputer: null,
      toEvaluator: null,
      toTreasury: null,
    });
  },

  async DisputeResolved(args, { store, event, deployment }) {
    const { disputeId, evaluator, upheld, lapsed, slashed, toDisputer, toEvaluator, toTreasury } =
      args;
    const outcome = disputeOutcome(upheld);
    const dispute = await store.update(
      disputes,
      { id: Number(disputeId) },
      {
        status: outcome.dispute,
        lapsed,
        resolvedAt: event.at,
        resolvedBlock: event.block,
        resolvedTx: event.tx,
        slashed,
        toDisputer,
        toEvaluator,
        toTreasury,
      },
    );
    await store.update(results, { id: dispute.result }, (row) => {
      const openDisputes = row.openDisputes - 1;
      // Upheld strikes the version; the last open dispute rejected gives it back its standing.
      const status = upheld
        ? ResultStatus.struck
        : row.status === ResultStatus.disputed && openDisputes === 0
          ? ResultStatus.valid
          : row.status;
      return { openDisputes, status };
    });
    const stake = await store.update(evaluators, { address: evaluator }, (row) => {
      // The slash takes the active bond first, then what is unbonding (all of it, as the registry does).
      const fromBonded = slashed < row.bonded ? slashed : row.bonded;
      const unbonding = row.unbonding - (slashed - fromBonded);
      return {
        openDisputes: row.openDisputes - 1,
        bonded: row.bonded - fromBonded,
        unbonding,
        unbondingReadyAt: unbonding === 0n ? null : row.unbondingReadyAt,
        slashed: row.slashed + slashed,
      };
    });
    if (slashed > 0n) {
      store.set(bondEvents, {
        evaluator,
        block: event.block,
        logIndex: event.logIndex,
        change: 'slashed',
        amount: slashed,
        bonded: stake.bonded,
        unbonding: stake.unbonding,
        unbondingReadyAt: stake.unbondingReadyAt,
        disputeId: dispute.id,
        at: event.at,
        tx: event.tx,
      });
    }
    // The treasury is the registry's governance: the timelock.
    await credit(store, dispute.disputer, toDisputer);
    await credit(store, evaluator, toEvaluator);
    await credit(store, deployment.contracts.timelock.toLowerCase() as Hex, toTreasury);
  },

  async CreditWithdrawn({ account, amount }, { store }) {
    await store.update(credits, { account }, (row) => ({
      credit: row.credit - amount,
      withdrawn: row.withdrawn + amount,
    }));
  },

  async Bonded({ evaluator, amount, bonded }, { store, event }) {
    await changeStake(store, event, evaluator, 'bonded', amount, { bonded });
  },

  async UnbondingStarted({ evaluator, amount, bonded, unbonding, readyAt }, { store, event }) {
    await changeStake(store, event, evaluator, 'unbonding', amount, {
      bonded,
      unbonding,
      unbondingReadyAt: Number(readyAt),
    });
  },

  async BondWithdrawn({ evaluator, amount }, { store, event }) {
    const { unbonding, unbondingReadyAt } = await store.get(evaluators, { address: evaluator });
    const left = unbonding - amount;
    await changeStake(store, event, evaluator, 'withdrawn', amount, {
      unbonding: left,
      unbondingReadyAt: left === 0n ? null : unbondingReadyAt,
    });
  },

  async GameParametersSet({ parameters }, { store }) {
    const resolutionTimeout = Number(parameters.resolutionTimeout);
    await store.update(
      governance,
      { id: 1 },
      {
        challengePeriod: Number(parameters.challengePeriod),
        minBond: BigInt(parameters.minBond),
        disputeBond: BigInt(parameters.disputeBond),
        unbondingDelay: Number(parameters.unbondingDelay),
        resolutionTimeout,
        disputerShareBps: Number(parameters.disputerShareBps),
      },
    );
    // The registry times a lapse with the timeout in force (`resolveLapsedDispute`): open disputes move.
    // (Results' windows are not stored: the API measures them with the current challenge period.)
    await store.flush();
    const open = await store
      .database()
      .select({ id: disputes.id })
      .from(disputes)
      .where(eq(disputes.status, DisputeStatus.open));
    for (const { id } of open) {
      await store.update(disputes, { id }, (row) => ({
        lapsesAt: row.openedAt + resolutionTimeout,
      }));
    }
  },

  async ResolverSet({ resolver }, { store }) {
    await store.update(
      governance,
      { id: 1 },
      { resolver: isZeroAddress(resolver) ? null : resolver },
    );
  },
};

type StakeColumns = Pick<
  typeof evaluators.$inferSelect,
  'bonded' | 'unbonding' | 'unbondingReadyAt'
>;

/** Applies a change of an evaluator's stake and records it in the bond history. */
async function changeStake(
  store: Store,
  event: ChainEvent,
  evaluator: Hex,
  change: BondChange,
  amount: bigint,
  stake: Partial<StakeColumns>,
) {
  const row = await store.update(evaluators, { address: evaluator }, stake);
  store.set(bondEvents, {
    evaluator,
    block: event.block,
    logIndex: event.logIndex,
    change,
    amount,
    bonded: row.bonded,
    unbonding: row.unbonding,
    unbondingReadyAt: row.unbondingReadyAt,
    disputeId: null,
    at: event.at,
    tx: event.tx,
  });
}

/** Adds to what the registry owes `account`. */
async function credit(store: Store, account: Hex, amount: bigint) {
  if (amount === 0n) return;
  const row = (await store.find(credits, { account })) ?? {
    account,
    credit: 0n,
    credited: 0n,
    withdrawn: 0n,
  };
  store.set(credits, { ...row, credit: row.credit + amount, credited: row.credited + amount });
}
