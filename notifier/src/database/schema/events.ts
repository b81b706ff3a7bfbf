import { bigint, index, integer, jsonb, serial, text, timestamp } from 'drizzle-orm/pg-core';

import { notifierSchema } from './notifierSchema';

/**
 * What happened, as sent: one row per event (chain events, tests, retractions). `body` is the JSON sent to
 * every subscriber, frozen at creation so each attempt signs the same bytes.
 */
export const events = notifierSchema.table(
  'events',
  {
    id: text('id').primaryKey(),
    /** Insertion order: the feeds' newest first. */
    seq: serial('seq').notNull(),
    type: text('type').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }),
    blockHash: text('block_hash'),
    /** Model family, for model.* and result.* events. */
    family: text('family'),
    /** The voter, for vote.cast. */
    actor: text('actor'),
    logIndex: integer('log_index'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Set when a reorg deeper than the confirmations removed the event's block. */
    retractedAt: timestamp('retracted_at', { withTimezone: true }),
  },
  (t) => [
    index('events_block_idx').on(t.blockNumber),
    index('events_seq_idx').on(t.seq),
    index('events_family_idx').on(t.family, t.seq),
  ],
);
