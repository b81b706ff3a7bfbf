import type { DisputeOutcome, PostedResultStatus } from '@charter/contracts/protocol';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import { hex, int64 } from './columns';

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

export const disputes = pgTable(
  'disputes',
  {
    /** `results.id` of the disputed result. */
    resultId: text('result_id').notNull(),
    /** Disputes of one result are numbered from 0; only the last can be open. */
    seq: integer('seq').notNull(),
    disputer: hex('disputer').notNull(),
    reason: text('reason').notNull(),
    at: int64('at').notNull(),
    tx: hex('tx').notNull(),
    resolution: text('resolution').$type<DisputeOutcome>(),
    resolvedAt: int64('resolved_at'),
  },
  (t) => [primaryKey({ name: 'disputes_pk', columns: [t.resultId, t.seq] })],
);
