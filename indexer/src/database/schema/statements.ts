import { integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

import { hex, int64 } from './columns';

/**
 * Delegates' signed statements, every version kept (the newest is shown). Off-chain data: written by the
 * API, not the sync, so no journal trigger records them and a reorg never rolls them back.
 */
export const delegateStatements = pgTable(
  'delegate_statements',
  {
    delegate: hex('delegate').notNull(),
    /** 1 for the delegate's first statement, counting up. */
    version: integer('version').notNull(),
    statement: text('statement').notNull(),
    interests: jsonb('interests').$type<string[]>().notNull(),
    /** Unix seconds, as signed. */
    issuedAt: int64('issued_at').notNull(),
    signature: hex('signature').notNull(),
    /** Unix seconds, the indexer's clock when it stored the statement. */
    receivedAt: int64('received_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'delegate_statements_pk', columns: [t.delegate, t.version] }),
    uniqueIndex('delegate_statements_signature_idx').on(t.signature),
  ],
);
