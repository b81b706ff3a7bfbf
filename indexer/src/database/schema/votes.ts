import { index, integer, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';

import { hex, int64, uint256 } from './columns';

export const votes = pgTable(
  'votes',
  {
    proposalId: uint256('proposal_id').notNull(),
    voter: hex('voter').notNull(),
    /** 0 against, 1 for, 2 abstain. */
    support: smallint('support').notNull(),
    weight: uint256('weight').notNull(),
    reason: text('reason').notNull(),
    params: hex('params').notNull(),
    block: int64('block').notNull(),
    logIndex: integer('log_index').notNull(),
    tx: hex('tx').notNull(),
    at: int64('at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'votes_pk', columns: [t.proposalId, t.voter] }),
    index('votes_proposal_position_idx').on(t.proposalId, t.block, t.logIndex),
    index('votes_proposal_weight_idx').on(t.proposalId, t.weight, t.voter),
    index('votes_voter_idx').on(t.voter, t.block, t.logIndex),
  ],
);
