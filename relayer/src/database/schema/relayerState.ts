import { integer, pgTable } from 'drizzle-orm/pg-core';

import { hex, int64 } from './columns';

/**
 * What the queue was written for: one row. Stored transactions are signed for this chain, these contracts
 * and this key; a data directory reused with another (a fresh dev chain at the same addresses, another
 * key) would broadcast them where they do not belong, so the relayer refuses to start on it.
 */
export const relayerState = pgTable('relayer_state', {
  id: integer('id').primaryKey().default(1),
  chainId: integer('chain_id').notNull(),
  governor: hex('governor').notNull(),
  token: hex('token').notNull(),
  /** The hash of the deployment's first block: tells a fresh dev chain from the one the queue was for. */
  deploymentBlockHash: hex('deployment_block_hash').notNull(),
  relayer: hex('relayer').notNull(),
  createdAt: int64('created_at').notNull(),
});
