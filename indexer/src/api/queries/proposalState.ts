import { ProposalState } from '@charter/contracts/protocol';
import { sql } from 'drizzle-orm';

import { proposals } from '../../database/schema';

// The API's one derivation of a proposal's quorum and state, in SQL so that lists can filter on them.

const state = (name: ProposalState) => sql.raw(`'${name}'`);

/** Votes that count toward quorum (OpenZeppelin GovernorCountingSimple): for and abstain. */
export const quorumVotes = sql<string>`(${proposals.forVotes} + ${proposals.abstainVotes})`.mapWith(
  String,
);

/** Whether the proposal has reached quorum: `Governor._quorumReached`. */
export const quorumReached = sql<boolean>`(${quorumVotes} >= ${proposals.quorum})`.mapWith(Boolean);

/** How many more votes quorum needs; zero once reached. */
export const quorumShortfall =
  sql<string>`greatest(${proposals.quorum} - ${quorumVotes}, 0)`.mapWith(String);

/**
 * The governor's `state()` at time `now` (an indexed block's timestamp). Mirrors OZ Governor with
 * GovernorTimelockControl: executed and canceled first (the timelock's own execution or cancellation
 * already set those flags), pending until the snapshot has passed, active until the (possibly extended)
 * deadline has, then defeated without quorum or majority (for > against), succeeded until queued. This
 * timelock never expires operations, so `expired` never occurs.
 */
export const proposalStateAt = (now: number) => sql<ProposalState>`case
  when ${proposals.executed} then ${state(ProposalState.executed)}
  when ${proposals.canceled} then ${state(ProposalState.canceled)}
  when ${proposals.voteStart} >= ${now} then ${state(ProposalState.pending)}
  when ${proposals.voteEnd} >= ${now} then ${state(ProposalState.active)}
  when not ${quorumReached} or ${proposals.forVotes} <= ${proposals.againstVotes}
    then ${state(ProposalState.defeated)}
  when ${proposals.eta} is null then ${state(ProposalState.succeeded)}
  else ${state(ProposalState.queued)} end`;
