import type { evidenceRegistryAbi } from '@charter/contracts';
import { bytes32ToText, disputeOutcome, ResultStatus } from '@charter/contracts/protocol';
import { eq, sql } from 'drizzle-orm';

import { disputes, evaluators, results, resultSlots, suites } from '../../database/schema';
import type { Handlers } from './context';

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
      status: ResultStatus.valid,
      superseded: false,
      // The same report posted again (after a strike, or after another report) is the same result.
      disputeCount: earlier?.disputeCount ?? 0,
    });
    store.set(resultSlots, { resultId, liveId: id });
    await store.update(evaluators, { address: evaluator }, (row) => ({
      resultCount: row.resultCount + 1,
    }));
  },

  async ResultDisputed({ resultId, disputer, reportDigest, reason }, { store, event }) {
    const result = await store.update(results, { id: `${resultId}:${reportDigest}` }, (row) => ({
      status: ResultStatus.disputed,
      disputeCount: row.disputeCount + 1,
    }));
    store.set(disputes, {
      resultId: result.id,
      seq: result.disputeCount - 1,
      disputer,
      reason,
      at: event.at,
      tx: event.tx,
      resolution: null,
      resolvedAt: null,
    });
  },

  async DisputeResolved({ resultId, upheld }, { store, event }) {
    const { liveId } = await store.get(resultSlots, { resultId });
    const outcome = disputeOutcome(upheld);
    const result = await store.update(results, { id: liveId }, { status: outcome.result });
    await store.update(
      disputes,
      { resultId: result.id, seq: result.disputeCount - 1 },
      { resolution: outcome.dispute, resolvedAt: event.at },
    );
  },
};
