import { sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';

import { hex, int64, uint256 } from './columns';

/** Governor, token and timelock parameters, kept current by their `...Set` events. */
export const governance = pgTable('governance', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  tokenName: text('token_name').notNull(),
  tokenSymbol: text('token_symbol').notNull(),
  quorumDenominator: uint256('quorum_denominator').notNull(),
  votingDelay: int64('voting_delay').notNull().default(0),
  votingPeriod: int64('voting_period').notNull().default(0),
  proposalThreshold: uint256('proposal_threshold')
    .notNull()
    .default(sql`0`),
  quorumNumerator: uint256('quorum_numerator')
    .notNull()
    .default(sql`0`),
  lateQuorumVoteExtension: int64('late_quorum_vote_extension').notNull().default(0),
  timelockDelay: int64('timelock_delay').notNull().default(0),
  /** The guardian as appointed; the governor stops answering it once `guardianTermEnd` has passed. */
  proposalGuardian: hex('proposal_guardian'),
  guardianTermEnd: int64('guardian_term_end'),
  /** ModelRegistry: how long before its expiry an approval may execute; the longest suspension. */
  approvalWindow: int64('approval_window').notNull().default(0),
  maxSuspension: int64('max_suspension').notNull().default(0),
  /** EvidenceRegistry's game parameters (`GameParametersSet`): seconds and wei. */
  challengePeriod: int64('challenge_period').notNull().default(0),
  minBond: uint256('min_bond')
    .notNull()
    .default(sql`0`),
  disputeBond: uint256('dispute_bond')
    .notNull()
    .default(sql`0`),
  unbondingDelay: int64('unbonding_delay').notNull().default(0),
  resolutionTimeout: int64('resolution_timeout').notNull().default(0),
  disputerShareBps: integer('disputer_share_bps').notNull().default(0),
  /** Who besides governance resolves disputes (`ResolverSet`); null if nobody. */
  resolver: hex('resolver'),
  totalSupply: uint256('total_supply')
    .notNull()
    .default(sql`0`),
});
