import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import { hex, int64, uint256 } from './columns';

export const proposals = pgTable(
  'proposals',
  {
    id: uint256('id').primaryKey(),
    proposer: hex('proposer').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    descriptionHash: hex('description_hash').notNull(),
    kinds: jsonb('kinds').$type<string[]>().notNull(),
    actionCount: integer('action_count').notNull(),
    createdAt: int64('created_at').notNull(),
    createdBlock: int64('created_block').notNull(),
    createdLogIndex: integer('created_log_index').notNull(),
    createdTx: hex('created_tx').notNull(),
    voteStart: int64('vote_start').notNull(),
    /** The deadline set at creation. */
    scheduledEnd: int64('scheduled_end').notNull(),
    /** The deadline in force: later than `scheduledEnd` once quorum was reached late. */
    voteEnd: int64('vote_end').notNull(),
    extendedAt: int64('extended_at'),
    extendedBlock: int64('extended_block'),
    extendedTx: hex('extended_tx'),
    /** quorum(voteStart), kept current when the quorum numerator changes before the snapshot. */
    quorum: uint256('quorum').notNull(),
    forVotes: uint256('for_votes')
      .notNull()
      .default(sql`0`),
    againstVotes: uint256('against_votes')
      .notNull()
      .default(sql`0`),
    abstainVotes: uint256('abstain_votes')
      .notNull()
      .default(sql`0`),
    voteCount: integer('vote_count').notNull().default(0),
    eta: int64('eta'),
    queuedAt: int64('queued_at'),
    queuedBlock: int64('queued_block'),
    queuedTx: hex('queued_tx'),
    executed: boolean('executed').notNull().default(false),
    executedAt: int64('executed_at'),
    executedBlock: int64('executed_block'),
    executedTx: hex('executed_tx'),
    canceled: boolean('canceled').notNull().default(false),
    canceledAt: int64('canceled_at'),
    canceledBlock: int64('canceled_block'),
    canceledTx: hex('canceled_tx'),
  },
  (t) => [
    index('proposals_created_idx').on(t.createdBlock, t.createdLogIndex),
    index('proposals_proposer_idx').on(t.proposer),
    index('proposals_vote_start_idx').on(t.voteStart),
    index('proposals_vote_end_idx').on(t.voteEnd),
  ],
);

/** A call a proposal makes, decoded with the project's ABIs when the target is one of its contracts. */
export const proposalActions = pgTable(
  'proposal_actions',
  {
    proposalId: uint256('proposal_id').notNull(),
    index: integer('index').notNull(),
    target: hex('target').notNull(),
    value: uint256('value').notNull(),
    calldata: hex('calldata').notNull(),
    kind: text('kind').notNull(),
    /** e.g. `approve(bytes32,bytes32)`; null when the call could not be decoded. */
    signature: text('signature'),
    /** Decoded arguments, uint256s as decimal strings. */
    args: jsonb('args').$type<unknown[]>(),
  },
  (t) => [primaryKey({ name: 'proposal_actions_pk', columns: [t.proposalId, t.index] })],
);

/** A timelock operation scheduled by the governor, so that executing or cancelling it on the
 * timelock directly moves its proposal as the governor's `state()` would. */
export const timelockOperations = pgTable('timelock_operations', {
  id: hex('id').primaryKey(),
  proposalId: uint256('proposal_id').notNull(),
});
