import type { RegisteredModelStatus } from '@charter/contracts/protocol';
import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

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
    approvedPolicyId: hex('approved_policy_id'),
    approvedPolicyVersion: integer('approved_policy_version'),
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
  },
  (t) => [primaryKey({ name: 'model_events_pk', columns: [t.modelId, t.block, t.logIndex] })],
);

export const families = pgTable('families', {
  /** keccak256 of the name, as the registry keys families. */
  id: hex('id').primaryKey(),
  name: text('name').notNull(),
  currentModelId: hex('current_model_id'),
});
