import type { RegisteredModelStatus } from '@charter/contracts/protocol';
import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import type { SuspensionEnd } from '../../client/vocabulary';
import { hex, int64 } from './columns';

export const models = pgTable(
  'models',
  {
    /** The artifact digest. */
    id: hex('id').primaryKey(),
    familyId: hex('family_id').notNull(),
    family: text('family').notNull(),
    version: text('version').notNull(),
    uri: text('uri').notNull(),
    parentId: hex('parent_id'),
    registrant: hex('registrant').notNull(),
    registeredAt: int64('registered_at').notNull(),
    registeredBlock: int64('registered_block').notNull(),
    registeredLogIndex: integer('registered_log_index').notNull(),
    registeredTx: hex('registered_tx').notNull(),
    status: text('status').$type<RegisteredModelStatus>().notNull(),
    /** The approval in force (kept while suspended, so the page can say what the suspension holds). */
    approvedPolicyId: hex('approved_policy_id'),
    approvedPolicyVersion: integer('approved_policy_version'),
    /** While suspended: since when, until when the suspension lasts, and the guardian's reason. */
    suspendedAt: int64('suspended_at'),
    suspendedUntil: int64('suspended_until'),
    suspensionReason: text('suspension_reason'),
  },
  (t) => [
    index('models_family_idx').on(t.family),
    index('models_status_idx').on(t.status),
    index('models_registered_idx').on(t.registeredBlock, t.registeredLogIndex),
  ],
);

/** Every status a model version went through. */
export const modelEvents = pgTable(
  'model_events',
  {
    modelId: hex('model_id').notNull(),
    block: int64('block').notNull(),
    logIndex: integer('log_index').notNull(),
    status: text('status').$type<RegisteredModelStatus>().notNull(),
    at: int64('at').notNull(),
    tx: hex('tx').notNull(),
    policyId: hex('policy_id'),
    policyVersion: integer('policy_version'),
    reason: text('reason'),
    /** A suspension's end: `until` on the suspending entry; how it ended on the entry that ended it. */
    suspendedUntil: int64('suspended_until'),
    suspensionEnded: text('suspension_ended').$type<SuspensionEnd>(),
  },
  (t) => [primaryKey({ name: 'model_events_pk', columns: [t.modelId, t.block, t.logIndex] })],
);

export const families = pgTable('families', {
  /** keccak256 of the name, as the registry keys families. */
  id: hex('id').primaryKey(),
  name: text('name').notNull(),
  currentModelId: hex('current_model_id'),
  /** The policy governance bound the family to (`FamilyPolicySet`); approvals are checked against it. */
  policyId: hex('policy_id'),
  /** The account that may register versions (besides governance): the first registrant, or its successor. */
  maintainer: hex('maintainer'),
});
