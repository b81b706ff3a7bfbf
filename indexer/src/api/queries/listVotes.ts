import { voteSupports } from '@charter/contracts/protocol';
import { and, eq } from 'drizzle-orm';

import type { Page, Support, Vote } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { proposals, votes } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';

export const voteSorts = {
  newest: { name: 'newest', columns: [votes.block, votes.logIndex], direction: 'desc' },
  weight: { name: 'weight', columns: [votes.weight, votes.voter], direction: 'desc' },
} satisfies Record<string, Sort>;
export const voteSortNames = Object.keys(voteSorts) as (keyof typeof voteSorts)[];

export const toVote = (row: typeof votes.$inferSelect): Vote => ({
  voter: row.voter,
  support: voteSupports[row.support]!,
  weight: row.weight.toString(),
  reason: row.reason,
  params: row.params,
  block: row.block,
  tx: row.tx,
  at: row.at,
});

export async function listVotes(
  db: Database,
  proposalId: bigint,
  params: { limit: number; cursor?: string; support?: Support; sort: keyof typeof voteSorts },
): Promise<Page<Vote>> {
  const sort = voteSorts[params.sort];
  const rows = await db
    .select()
    .from(votes)
    .where(
      and(
        eq(votes.proposalId, proposalId),
        params.support ? eq(votes.support, voteSupports.indexOf(params.support)) : undefined,
        afterCursor(sort, params.cursor),
      ),
    )
    .orderBy(...orderBy(sort))
    .limit(params.limit + 1);
  return page(
    rows,
    params.limit,
    sort,
    (row) => (params.sort === 'weight' ? [row.weight, row.voter] : [row.block, row.logIndex]),
    toVote,
  );
}

export async function proposalExists(db: Database, id: bigint): Promise<boolean> {
  const [row] = await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, id));
  return row !== undefined;
}
