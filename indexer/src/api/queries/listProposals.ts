import { and, eq, getTableColumns, ilike, inArray, or, sql } from 'drizzle-orm';

import type { ActionKind, Page, ProposalState, ProposalSummary } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { proposals } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { likePattern } from '../params';
import { proposalState } from './proposalState';

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

export const proposalColumns = { ...getTableColumns(proposals), state: proposalState };

export type ProposalRow = typeof proposals.$inferSelect & { state: ProposalState };

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
    voteCount: row.voteCount,
  };
}

export async function listProposals(
  db: Database,
  params: {
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
    .select(proposalColumns)
    .from(proposals)
    .where(
      and(
        afterCursor(sort, params.cursor),
        params.states && inArray(proposalState, params.states),
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
