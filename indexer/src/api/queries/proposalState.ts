import { sql } from 'drizzle-orm';

import type { ProposalState } from '../../client/types';
import { proposals, syncState } from '../../database/schema';

/** The governor's clock at the latest indexed block: its timestamp. */
export const indexedTimestamp = sql<number>`(select ${syncState.indexedTimestamp} from ${syncState} limit 1)`;

/**
 * The governor's `state()` at the latest indexed block, in SQL so lists can filter on it. Mirrors OZ
 * Governor with GovernorTimelockControl: executed and canceled first (the timelock's own execution or
 * cancellation already set those flags), pending until the snapshot has passed, active until the
 * (possibly extended) deadline has, then defeated without quorum (for + abstain) or majority (for >
 * against), succeeded until queued. This timelock never expires operations, so `expired` never occurs.
 */
export const proposalState = sql<ProposalState>`case
  when ${proposals.executed} then 'executed'
  when ${proposals.canceled} then 'canceled'
  when ${proposals.voteStart} >= ${indexedTimestamp} then 'pending'
  when ${proposals.voteEnd} >= ${indexedTimestamp} then 'active'
  when ${proposals.forVotes} + ${proposals.abstainVotes} < ${proposals.quorum}
    or ${proposals.forVotes} <= ${proposals.againstVotes} then 'defeated'
  when ${proposals.eta} is null then 'succeeded'
  else 'queued' end`;
