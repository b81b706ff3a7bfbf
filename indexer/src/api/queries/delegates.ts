import type { PublishedStatement } from '@charter/contracts/protocol';
import { and, desc, eq, gt, ilike, or } from 'drizzle-orm';

import type { Account, Delegate, DelegateDetail, Page } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { accounts, credits, proposals, votes } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { likePattern } from '../params';
import { toVote } from './listVotes';
import { newestStatements } from './statements';

export const delegateSorts = {
  power: { name: 'power', columns: [accounts.votingPower, accounts.address], direction: 'desc' },
  delegators: {
    name: 'delegators',
    columns: [accounts.delegatorCount, accounts.address],
    direction: 'desc',
  },
} satisfies Record<string, Sort>;
export const delegateSortNames = Object.keys(delegateSorts) as (keyof typeof delegateSorts)[];

const toDelegate = (
  row: typeof accounts.$inferSelect,
  statement: PublishedStatement | undefined,
): Delegate => ({
  address: row.address,
  votingPower: row.votingPower.toString(),
  delegators: row.delegatorCount,
  votesCast: row.votesCast,
  statement: statement ?? null,
});

/** Accounts that hold voting power or that others delegate to. */
export async function listDelegates(
  db: Database,
  params: { limit: number; cursor?: string; q?: string; sort: keyof typeof delegateSorts },
): Promise<Page<Delegate>> {
  const sort = delegateSorts[params.sort];
  const rows = await db
    .select()
    .from(accounts)
    .where(
      and(
        or(gt(accounts.votingPower, 0n), gt(accounts.delegatorCount, 0)),
        params.q ? ilike(accounts.address, likePattern(params.q.toLowerCase())) : undefined,
        afterCursor(sort, params.cursor),
      ),
    )
    .orderBy(...orderBy(sort))
    .limit(params.limit + 1);
  const statements = await newestStatements(
    db,
    rows.slice(0, params.limit).map((row) => row.address),
  );
  return page(
    rows,
    params.limit,
    sort,
    (row) =>
      params.sort === 'power' ? [row.votingPower, row.address] : [row.delegatorCount, row.address],
    (row) => toDelegate(row, statements.get(row.address)),
  );
}

export async function getDelegate(
  db: Database,
  address: `0x${string}`,
): Promise<DelegateDetail | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.address, address));
  if (!row || (row.votingPower === 0n && row.delegatorCount === 0)) return undefined;
  const [delegators, statements] = await Promise.all([
    db
      .select({ address: accounts.address, balance: accounts.balance })
      .from(accounts)
      .where(eq(accounts.delegate, address))
      .orderBy(desc(accounts.balance), accounts.address),
    newestStatements(db, [address]),
  ]);
  return {
    ...toDelegate(row, statements.get(address)),
    delegatorList: delegators.map((d) => ({ address: d.address, balance: d.balance.toString() })),
  };
}

/** Any address: one the token never saw has zeros. */
export async function getAccount(db: Database, address: `0x${string}`): Promise<Account> {
  const [[row], [owed], latest] = await Promise.all([
    db.select().from(accounts).where(eq(accounts.address, address)),
    db.select({ credit: credits.credit }).from(credits).where(eq(credits.account, address)),
    db
      .select({ vote: votes, title: proposals.title })
      .from(votes)
      .innerJoin(proposals, eq(proposals.id, votes.proposalId))
      .where(eq(votes.voter, address))
      .orderBy(desc(votes.block), desc(votes.logIndex))
      .limit(50),
  ]);
  return {
    address,
    balance: (row?.balance ?? 0n).toString(),
    votingPower: (row?.votingPower ?? 0n).toString(),
    delegate: row?.delegate ?? null,
    delegators: row?.delegatorCount ?? 0,
    credit: (owed?.credit ?? 0n).toString(),
    votes: latest.map(({ vote, title }) => ({
      ...toVote(vote),
      proposalId: vote.proposalId.toString(),
      title,
    })),
  };
}
