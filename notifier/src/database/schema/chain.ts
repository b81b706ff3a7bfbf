import { bigint, index, integer, serial, text } from 'drizzle-orm/pg-core';

import { notifierSchema } from './notifierSchema';

/** Where the follower stands: the last final block whose events are stored, written with them. */
export const checkpoint = notifierSchema.table('checkpoint', {
  id: integer('id').primaryKey(),
  chainId: integer('chain_id').notNull(),
  /** The deployment's governor: a different one means the database describes another deployment. */
  governor: text('governor').notNull(),
  blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
  blockHash: text('block_hash').notNull(),
});

/**
 * Processed blocks that carried an event or ended a batch: after a reorg, the newest one still
 * canonical is the common ancestor.
 */
export const blocks = notifierSchema.table('blocks', {
  number: bigint('number', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
});

/** modelId → family and version, from `ModelRegistered` (rolled back with its block). */
export const models = notifierSchema.table('models', {
  modelId: text('model_id').primaryKey(),
  family: text('family').notNull(),
  version: text('version').notNull(),
  blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
});

/** resultId → modelId, from `ResultSubmitted`: a dispute names only the result. */
export const results = notifierSchema.table('results', {
  resultId: text('result_id').primaryKey(),
  modelId: text('model_id').notNull(),
  blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
});

/** Each proposal's known states, newest last; rows above a reorg's common ancestor are removed. */
export const proposalStates = notifierSchema.table(
  'proposal_states',
  {
    id: serial('id').primaryKey(),
    proposalId: text('proposal_id').notNull(),
    state: text('state').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
  },
  (t) => [index('proposal_states_proposal_idx').on(t.proposalId, t.id)],
);
