import { sql } from 'drizzle-orm';
import { index, integer, pgTable } from 'drizzle-orm/pg-core';

import { hex, uint256 } from './columns';

/** Token holders and delegates: one row per address the token has seen. */
export const accounts = pgTable(
  'accounts',
  {
    address: hex('address').primaryKey(),
    balance: uint256('balance')
      .notNull()
      .default(sql`0`),
    delegate: hex('delegate'),
    votingPower: uint256('voting_power')
      .notNull()
      .default(sql`0`),
    /** Accounts delegating to this one, itself included when self-delegated. */
    delegatorCount: integer('delegator_count').notNull().default(0),
    votesCast: integer('votes_cast').notNull().default(0),
  },
  (t) => [
    index('accounts_voting_power_idx').on(t.votingPower, t.address),
    index('accounts_delegator_count_idx').on(t.delegatorCount, t.address),
    index('accounts_delegate_idx').on(t.delegate),
  ],
);
