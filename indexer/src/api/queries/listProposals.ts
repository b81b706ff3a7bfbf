import { and, eq, getTableColumns, ilike, inArray, or, sql } from 'drizzle-orm';

import type { ActionKind, Page, ProposalState, ProposalSummary } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { proposals } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { likePattern } from '../params';
import { proposalStateAt, quorumReached, quorumShortfall, quorumVotes } from './proposalState';

export const proposalSorts = {
  newest: {
    name: 'newest',
    columns: [proposals.createdBlock, proposals.createdLogIndex],
    direction: 'desc',
  },
  oldest: {
    name: 'oldest',
    columns: [proposals.createdBlock, proposals.createdLogIndex],
    direction: 'asc',
  },
  ending: {
    name: 'ending',
    columns: [proposals.voteEnd, proposals.createdBlock, proposals.createdLogIndex],
    direction: 'asc',
  },
} satisfies Record<string, Sort>;
export const proposalSortNames = Object.keys(proposalSorts) as (keyof typeof proposalSorts)[];

/** A proposal's columns with its quorum and its state at time `now`. */
export const proposalColumnsAt = (now: number) => ({
  ...getTableColumns(proposals),
  state: proposalStateAt(now),
  quorumVotes,
  quorumReached,
  quorumShortfall,
});

export type ProposalRow = typeof proposals.$inferSelect & {
  state: ProposalState;
  quorumVotes: string;
  quorumReached: boolean;
  quorumShortfall: string;
};

export function toProposalSummary(row: ProposalRow): ProposalSummary {
  return {
    id: row.id.toString(),
    proposer: row.proposer,
    title: row.title,
    state: row.state,
    kinds: row.kinds as ActionKind[],
    createdAt: row.createdAt,
    voteStart: row.voteStart,
    voteEnd: row.voteEnd,
    extended: row.voteEnd > row.scheduledEnd,
    eta: row.eta,
    forVotes: row.forVotes.toString(),
    againstVotes: row.againstVotes.toString(),
    abstainVotes: row.abstainVotes.toString(),
    quorum: row.quorum.toString(),
    quorumVotes: row.quorumVotes,
    quorumReached: row.quorumReached,
    quorumShortfall: row.quorumShortfall,
    voteCount: row.voteCount,
  };
}

export async function listProposals(
  db: Database,
  params: {
    /** The indexed block's timestamp: states are derived at it. */
    now: number;
    limit: number;
    cursor?: string;
    states?: ProposalState[];
    proposer?: string;
    kind?: ActionKind;
    q?: string;
    sort: keyof typeof proposalSorts;
  },
): Promise<Page<ProposalSummary>> {
  const sort = proposalSorts[params.sort];
  const rows = await db
    .select(proposalColumnsAt(params.now))
    .from(proposals)
    .where(
      and(
        afterCursor(sort, params.cursor),
        params.states && inArray(proposalStateAt(params.now), params.states),
        params.proposer ? eq(proposals.proposer, params.proposer as `0x${string}`) : undefined,
        params.kind
          ? sql`${proposals.kinds} @> ${JSON.stringify([params.kind])}::jsonb`
          : undefined,
        params.q
          ? or(
              ilike(proposals.title, likePattern(params.q)),
              ilike(proposals.description, likePattern(params.q)),
            )
          : undefined,
      ),
    )
    .orderBy(...orderBy(sort))
    .limit(params.limit + 1);
  return page(
    rows as ProposalRow[],
    params.limit,
    sort,
    (row) =>
      params.sort === 'ending'
        ? [row.voteEnd, row.createdBlock, row.createdLogIndex]
        : [row.createdBlock, row.createdLogIndex],
    toProposalSummary,
  );
}
