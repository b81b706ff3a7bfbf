import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

import { hex, int64 } from './columns';

/** Where the sync stands; written in the same transaction as the data it covers. */
export const syncState = pgTable('sync_state', {
  id: integer('id').primaryKey(),
  chainId: integer('chain_id').notNull(),
  /** Hash of the deployment block: a different one means the database describes another chain. */
  deploymentHash: hex('deployment_hash').notNull(),
  indexedBlock: int64('indexed_block').notNull(),
  indexedHash: hex('indexed_hash').notNull(),
  indexedTimestamp: int64('indexed_timestamp').notNull(),
});

/** Recent blocks that a reorg could still replace, to find the common ancestor. */
export const blocks = pgTable('blocks', {
  number: int64('number').primaryKey(),
  hash: hex('hash').notNull(),
  parentHash: hex('parent_hash').notNull(),
  timestamp: int64('timestamp').notNull(),
});

/**
 * Undo log of derived rows changed by recent blocks, written by a trigger (see the journal migration):
 * rolling back a reorg replays it backwards.
 */
export const journal = pgTable(
  'journal',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    blockNumber: int64('block_number').notNull(),
    tableName: text('table_name').notNull(),
    op: text('op').$type<'INSERT' | 'UPDATE' | 'DELETE'>().notNull(),
    /** The new row for an insert (to delete it by key), the old row otherwise (to restore it). */
    row: jsonb('row').notNull(),
  },
  (t) => [index('journal_block_idx').on(t.blockNumber)],
);
