import type { DisputeStatus, PostedResultStatus } from '@charter/contracts/protocol';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import type { BondChange } from '../../client/vocabulary';
import { hex, int64, uint256 } from './columns';

export const suites = pgTable('suites', {
  id: hex('id').primaryKey(),
  datasetDigest: hex('dataset_digest').notNull(),
  metricIds: jsonb('metric_ids').$type<`0x${string}`[]>().notNull(),
  metrics: jsonb('metrics').$type<string[]>().notNull(),
  uri: text('uri').notNull(),
  registeredAt: int64('registered_at').notNull(),
  block: int64('block').notNull(),
  tx: hex('tx').notNull(),
});

export const evaluators = pgTable('evaluators', {
  address: hex('address').primaryKey(),
  name: text('name').notNull(),
  admitted: boolean('admitted').notNull(),
  admittedAt: int64('admitted_at').notNull(),
  removedAt: int64('removed_at'),
  /** Position in the registry's EnumerableSet, which decides the order `evidenceFor` lists results. */
  setIndex: integer('set_index'),
  resultCount: integer('result_count').notNull().default(0),
  /** The evaluator's stake, in wei: the active bond (its results count only while it is at least
   * `minBond`), and the part on its way out, withdrawable from `unbondingReadyAt`. Both are slashable. */
  bonded: uint256('bonded')
    .notNull()
    .default(sql`0`),
  unbonding: uint256('unbonding')
    .notNull()
    .default(sql`0`),
  unbondingReadyAt: int64('unbonding_ready_at'),
  /** Disputes open against its results; it cannot withdraw while there are any. */
  openDisputes: integer('open_disputes').notNull().default(0),
  /** Wei slashed from its stake by upheld disputes, all told. */
  slashed: uint256('slashed')
    .notNull()
    .default(sql`0`),
});

/** Every result posted, superseded ones included; id is `${resultId}:${reportDigest}`. */
export const results = pgTable(
  'results',
  {
    id: text('id').primaryKey(),
    resultId: hex('result_id').notNull(),
    modelId: hex('model_id').notNull(),
    suiteId: hex('suite_id').notNull(),
    evaluator: hex('evaluator').notNull(),
    /** Metric values in suite order, decimal strings (fixed-point, 18 decimals). */
    values: jsonb('values').$type<string[]>().notNull(),
    reportDigest: hex('report_digest').notNull(),
    samplesRoot: hex('samples_root').notNull(),
    uri: text('uri').notNull(),
    submittedAt: int64('submitted_at').notNull(),
    block: int64('block').notNull(),
    logIndex: integer('log_index').notNull(),
    tx: hex('tx').notNull(),
    status: text('status').$type<PostedResultStatus>().notNull(),
    /** A later result of the same evaluator for the same model and suite replaced this one. */
    superseded: boolean('superseded').notNull(),
    disputeCount: integer('dispute_count').notNull().default(0),
    /** Disputes of this version still open: while there are any, it is `disputed` (unless struck). */
    openDisputes: integer('open_disputes').notNull().default(0),
  },
  (t) => [
    index('results_model_idx').on(t.modelId, t.suiteId),
    index('results_suite_idx').on(t.suiteId),
    index('results_evaluator_idx').on(t.evaluator),
    index('results_position_idx').on(t.block, t.logIndex),
  ],
);

/** The live result of each (model, suite, evaluator) slot, as the registry keeps it. */
export const resultSlots = pgTable('result_slots', {
  resultId: hex('result_id').primaryKey(),
  liveId: text('live_id').notNull(),
});

/**
 * Every dispute, as `EvidenceRegistry.dispute` opened it (the sample as committed, the outcome the
 * disputer claims, its report) and, once resolved, how and with what payouts.
 */
export const disputes = pgTable(
  'disputes',
  {
    /** The registry's dispute id: 1, 2, 3... */
    id: int64('id').primaryKey(),
    /** `results.id` of the disputed version; its registry id and report digest follow. */
    result: text('result').notNull(),
    resultId: hex('result_id').notNull(),
    reportDigest: hex('report_digest').notNull(),
    modelId: hex('model_id').notNull(),
    suiteId: hex('suite_id').notNull(),
    evaluator: hex('evaluator').notNull(),
    disputer: hex('disputer').notNull(),
    /** Wei the disputer posted. */
    bond: uint256('bond').notNull(),
    /** The leaf as the evaluator committed it. */
    sampleId: text('sample_id').notNull(),
    sampleLabel: uint256('sample_label').notNull(),
    samplePrediction: uint256('sample_prediction').notNull(),
    sampleScore: uint256('sample_score').notNull(),
    /** The outcome the disputer obtained for that sample, and its own report. */
    claimedPrediction: uint256('claimed_prediction').notNull(),
    claimedScore: uint256('claimed_score').notNull(),
    claimReportDigest: hex('claim_report_digest').notNull(),
    claimUri: text('claim_uri').notNull(),
    openedAt: int64('opened_at').notNull(),
    /** From then on anyone may resolve it by default (rejected). */
    lapsesAt: int64('lapses_at').notNull(),
    block: int64('block').notNull(),
    logIndex: integer('log_index').notNull(),
    tx: hex('tx').notNull(),
    status: text('status').$type<DisputeStatus>().notNull(),
    /** Rejected by default once `lapsesAt` had passed (`resolveLapsedDispute`), not by a judgment. */
    lapsed: boolean('lapsed').notNull().default(false),
    resolvedAt: int64('resolved_at'),
    resolvedBlock: int64('resolved_block'),
    resolvedTx: hex('resolved_tx'),
    /** Wei taken from the evaluator's stake, and what the resolution credited to whom. */
    slashed: uint256('slashed'),
    toDisputer: uint256('to_disputer'),
    toEvaluator: uint256('to_evaluator'),
    toTreasury: uint256('to_treasury'),
  },
  (t) => [
    index('disputes_result_idx').on(t.result),
    index('disputes_result_id_idx').on(t.resultId),
    index('disputes_evaluator_idx').on(t.evaluator, t.id),
    index('disputes_disputer_idx').on(t.disputer, t.id),
    index('disputes_model_idx').on(t.modelId, t.id),
    index('disputes_status_idx').on(t.status, t.id),
  ],
);

/** Every change of an evaluator's stake: bonding, unbonding, withdrawing, and slashing. */
export const bondEvents = pgTable(
  'bond_events',
  {
    evaluator: hex('evaluator').notNull(),
    block: int64('block').notNull(),
    logIndex: integer('log_index').notNull(),
    change: text('change').$type<BondChange>().notNull(),
    /** Wei bonded, moved to unbonding, withdrawn, or slashed. */
    amount: uint256('amount').notNull(),
    /** The stake after the change. */
    bonded: uint256('bonded').notNull(),
    unbonding: uint256('unbonding').notNull(),
    unbondingReadyAt: int64('unbonding_ready_at'),
    /** The upheld dispute that slashed it. */
    disputeId: int64('dispute_id'),
    at: int64('at').notNull(),
    tx: hex('tx').notNull(),
  },
  (t) => [primaryKey({ name: 'bond_events_pk', columns: [t.evaluator, t.block, t.logIndex] })],
);

/** What the registry owes each account (`credits(account)`): resolutions credit, withdrawals pay out. */
export const credits = pgTable('credits', {
  account: hex('account').primaryKey(),
  /** Wei owed now. */
  credit: uint256('credit').notNull(),
  /** Wei credited and paid out, all told. */
  credited: uint256('credited').notNull(),
  withdrawn: uint256('withdrawn').notNull(),
});
