import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Hex } from 'viem';

import type { Database } from './openDatabase';
import { ballots, type BallotRow, type BallotStatus } from './schema';

export type NewBallot = typeof ballots.$inferInsert;

/** Stores an accepted ballot; false when a ballot with this id (this signature) is already stored. */
export async function insertBallot(db: Database, ballot: NewBallot): Promise<boolean> {
  const inserted = await db
    .insert(ballots)
    .values(ballot)
    .onConflictDoNothing({ target: ballots.id })
    .returning({ id: ballots.id });
  return inserted.length === 1;
}

export async function getBallot(db: Database, id: Hex): Promise<BallotRow | undefined> {
  const [row] = await db.select().from(ballots).where(eq(ballots.id, id));
  return row;
}

/** An account's ballots, newest first. */
export async function listBallotsOfAccount(
  db: Database,
  account: Hex,
  limit = 100,
): Promise<BallotRow[]> {
  return db
    .select()
    .from(ballots)
    .where(eq(ballots.account, account))
    .orderBy(desc(ballots.createdAt), desc(ballots.id))
    .limit(limit);
}

/** Ballots in a status, oldest first: the order they are sent in. */
export async function listBallotsInStatus(
  db: Database,
  statuses: BallotStatus[],
): Promise<BallotRow[]> {
  return db
    .select()
    .from(ballots)
    .where(inArray(ballots.status, statuses))
    .orderBy(asc(ballots.createdAt), asc(ballots.id));
}

/** Creation times (ms) of an account's ballots since `since`, oldest first: what the rate limit counts. */
export async function acceptedSince(db: Database, account: Hex, since: number): Promise<number[]> {
  const rows = await db
    .select({ createdAt: ballots.createdAt })
    .from(ballots)
    .where(and(eq(ballots.account, account), gte(ballots.createdAt, since)))
    .orderBy(asc(ballots.createdAt));
  return rows.map((row) => row.createdAt);
}

export interface Spending {
  /** Wei that mined transactions cost. */
  spent: bigint;
  /** Wei set aside for ballots not mined yet. */
  reserved: bigint;
  /** Ballots not mined yet (queued or sent). */
  pending: number;
}

/** What the budget has paid and what it holds back. */
export async function getSpending(db: Database): Promise<Spending> {
  const [row] = await db
    .select({
      spent: sql<string>`coalesce(sum(${ballots.cost}), 0)::text`,
      reserved: sql<string>`coalesce(sum(case when ${ballots.status} in ('queued', 'sent') then ${ballots.reserved} else 0 end), 0)::text`,
      pending: sql<number>`count(*) filter (where ${ballots.status} in ('queued', 'sent'))::int`,
    })
    .from(ballots);
  return {
    spent: BigInt(row?.spent ?? 0),
    reserved: BigInt(row?.reserved ?? 0),
    pending: Number(row?.pending ?? 0),
  };
}

/** The highest transaction nonce the relayer has signed, or undefined before its first. */
export async function highestTxNonce(db: Database): Promise<number | undefined> {
  const [row] = await db
    .select({ nonce: sql<number | null>`max(${ballots.txNonce})` })
    .from(ballots);
  return row?.nonce === null || row?.nonce === undefined ? undefined : Number(row.nonce);
}

/** Changes a ballot, stamping `updatedAt`. */
export async function updateBallot(
  db: Database,
  id: Hex,
  change: Partial<Omit<NewBallot, 'id' | 'createdAt' | 'updatedAt'>>,
): Promise<void> {
  await db
    .update(ballots)
    .set({ ...change, updatedAt: Date.now() })
    .where(eq(ballots.id, id));
}
