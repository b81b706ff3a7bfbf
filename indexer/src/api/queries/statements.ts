import type { PublishedStatement } from '@charter/contracts/protocol';
import { and, desc, eq, inArray, lte } from 'drizzle-orm';

import type { Page, StatementVersion } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { accounts, delegateStatements } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';

type Row = typeof delegateStatements.$inferSelect;

const statementSort = {
  name: 'newest',
  columns: [delegateStatements.version],
  direction: 'desc',
} satisfies Sort;

const toPublished = (row: Row): PublishedStatement => ({
  statement: row.statement,
  interests: row.interests,
  issuedAt: row.issuedAt,
  version: row.version,
});

const toVersion = (row: Row): StatementVersion => ({
  ...toPublished(row),
  signature: row.signature,
  receivedAt: row.receivedAt,
});

/** A delegate's statements, newest first; empty for an address that never published one. */
export async function listStatements(
  db: Database,
  delegate: `0x${string}`,
  params: { limit: number; cursor?: string },
): Promise<Page<StatementVersion>> {
  const rows = await db
    .select()
    .from(delegateStatements)
    .where(
      and(eq(delegateStatements.delegate, delegate), afterCursor(statementSort, params.cursor)),
    )
    .orderBy(...orderBy(statementSort))
    .limit(params.limit + 1);
  return page(rows, params.limit, statementSort, (row) => [row.version], toVersion);
}

/** Each delegate's newest statement, for those of `delegates` who published one. */
export async function newestStatements(
  db: Database,
  delegates: `0x${string}`[],
): Promise<Map<string, PublishedStatement>> {
  if (delegates.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([delegateStatements.delegate])
    .from(delegateStatements)
    .where(inArray(delegateStatements.delegate, delegates))
    .orderBy(delegateStatements.delegate, desc(delegateStatements.version));
  return new Map(rows.map((row) => [row.delegate, toPublished(row)]));
}

/**
 * Whether an address has a stake in the DAO, as indexed: it holds tokens, has voting power, or others
 * delegate to it (the accounts `/delegates` lists, and every holder). Only such an address publishes a
 * statement: keys cost nothing, tokens do.
 */
export async function isStakeholder(db: Database, address: `0x${string}`): Promise<boolean> {
  const [row] = await db
    .select({
      balance: accounts.balance,
      votingPower: accounts.votingPower,
      delegators: accounts.delegatorCount,
    })
    .from(accounts)
    .where(eq(accounts.address, address));
  return !!row && (row.balance > 0n || row.votingPower > 0n || row.delegators > 0);
}

/** How often one address may store a statement, and how many of its versions are kept. */
export interface StatementLimits {
  /** Seconds between two stored versions of one address; 0: no limit. */
  intervalSeconds: number;
  /** Versions kept per address: storing one more deletes the oldest. */
  maxVersions: number;
}

/** Without a configuration: the defaults of a chain other than the dev chain. */
export const defaultStatementLimits: StatementLimits = { intervalSeconds: 60, maxVersions: 100 };

/** A statement refused because its address stored one less than the interval ago: a 429. */
export class StatementTooSoon extends Error {
  constructor(
    /** Seconds until the address may store its next version. */
    readonly retryAfter: number,
    intervalSeconds: number,
  ) {
    super(
      `this address stores at most one new version per ${intervalSeconds} seconds; the next in ${retryAfter} seconds`,
    );
  }
}

/** Why a statement was not stored: a 409. */
export class StatementConflict extends Error {
  constructor(
    readonly reason: 'duplicate' | 'stale',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stores a verified statement as the delegate's next version. Refuses (`StatementConflict`) a signature
 * stored before, and a statement not issued after the newest stored one: a replayed older statement
 * must not replace a newer one (a pruned version's signature included: it is older than the newest).
 * Refuses (`StatementTooSoon`) a version received less than `intervalSeconds` after the newest stored
 * one. Beyond `maxVersions`, the oldest versions are deleted: the newest always shows.
 */
export async function storeStatement(
  db: Database,
  statement: Omit<Row, 'version'>,
  { intervalSeconds, maxVersions }: StatementLimits = defaultStatementLimits,
): Promise<StatementVersion> {
  try {
    return await db.transaction(async (tx) => {
      const [replayed] = await tx
        .select({ delegate: delegateStatements.delegate, version: delegateStatements.version })
        .from(delegateStatements)
        .where(eq(delegateStatements.signature, statement.signature));
      if (replayed) {
        throw new StatementConflict(
          'duplicate',
          `this signature was already stored, as version ${replayed.version} of ${replayed.delegate}'s statement`,
        );
      }
      const [newest] = await tx
        .select({
          version: delegateStatements.version,
          issuedAt: delegateStatements.issuedAt,
          receivedAt: delegateStatements.receivedAt,
        })
        .from(delegateStatements)
        .where(eq(delegateStatements.delegate, statement.delegate))
        .orderBy(desc(delegateStatements.version))
        .limit(1);
      if (newest && statement.issuedAt <= newest.issuedAt) {
        throw new StatementConflict(
          'stale',
          `issuedAt ${statement.issuedAt} is not after the newest stored statement's (version ${newest.version}, issued at ${newest.issuedAt}); sign a new one`,
        );
      }
      const waited = newest ? statement.receivedAt - newest.receivedAt : Infinity;
      if (waited < intervalSeconds) {
        throw new StatementTooSoon(intervalSeconds - Math.max(waited, 0), intervalSeconds);
      }
      const version = (newest?.version ?? 0) + 1;
      const [row] = await tx
        .insert(delegateStatements)
        .values({ ...statement, version })
        .returning();
      if (version > maxVersions) {
        await tx
          .delete(delegateStatements)
          .where(
            and(
              eq(delegateStatements.delegate, statement.delegate),
              lte(delegateStatements.version, version - maxVersions),
            ),
          );
      }
      return toVersion(row!);
    });
  } catch (error) {
    if (error instanceof StatementConflict || error instanceof StatementTooSoon) throw error;
    // Another request stored a statement for this delegate, or this signature, at the same moment.
    if (uniqueViolation(error)) {
      throw new StatementConflict(
        'stale',
        'another statement of this delegate was stored at the same moment; sign a new one',
      );
    }
    throw error;
  }
}

const uniqueViolation = (error: unknown): boolean => {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
};
