import type { Comparator } from '@charter/contracts/protocol';
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import { hex, int64, uint256 } from './columns';

export const policies = pgTable('policies', {
  /** The bytes32 id; its name is the same bytes read as a string. */
  id: hex('id').primaryKey(),
  name: text('name').notNull(),
  currentVersion: integer('current_version').notNull(),
});

export const policyVersions = pgTable(
  'policy_versions',
  {
    policyId: hex('policy_id').notNull(),
    version: integer('version').notNull(),
    minEvaluators: integer('min_evaluators').notNull(),
    maxEvidenceAge: int64('max_evidence_age').notNull(),
    uri: text('uri').notNull(),
    setAt: int64('set_at').notNull(),
    block: int64('block').notNull(),
    tx: hex('tx').notNull(),
  },
  (t) => [primaryKey({ name: 'policy_versions_pk', columns: [t.policyId, t.version] })],
);

export const policyRules = pgTable(
  'policy_rules',
  {
    policyId: hex('policy_id').notNull(),
    version: integer('version').notNull(),
    index: integer('index').notNull(),
    suiteId: hex('suite_id').notNull(),
    metricId: hex('metric_id').notNull(),
    metric: text('metric').notNull(),
    comparator: text('comparator').$type<Comparator>().notNull(),
    threshold: uint256('threshold').notNull(),
  },
  (t) => [primaryKey({ name: 'policy_rules_pk', columns: [t.policyId, t.version, t.index] })],
);
