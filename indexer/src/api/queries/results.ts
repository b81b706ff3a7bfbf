import { countsFrom, resultStanding, type StandingParameters } from '@charter/contracts/protocol';
import { and, asc, eq, inArray } from 'drizzle-orm';

import type { Page, Result, ResultStatus } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import {
  disputes,
  evaluators,
  governance,
  results,
  suites,
  syncState,
} from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { toDispute } from './disputes';

export const resultSort: Sort = {
  name: 'newest',
  columns: [results.block, results.logIndex],
  direction: 'desc',
};

export interface ResultFilters {
  model?: `0x${string}`;
  suite?: `0x${string}`;
  evaluator?: `0x${string}`;
  status?: ResultStatus;
  id?: string;
  cursor?: string;
}

/** Results matching the filters, newest first, with their metrics named and their disputes. */
export async function resultsWhere(
  db: Database,
  filters: ResultFilters,
  limit: number,
): Promise<Result[]> {
  return (await resultRows(db, filters, limit)).items;
}

export async function listResults(
  db: Database,
  params: ResultFilters & { limit: number },
): Promise<Page<Result>> {
  const { items, rows } = await resultRows(db, params, params.limit + 1);
  return page(
    rows,
    params.limit,
    resultSort,
    (row) => [row.block, row.logIndex],
    (row) => items[rows.indexOf(row)]!,
  );
}

export async function getResult(db: Database, id: string): Promise<Result | undefined> {
  return (await resultsWhere(db, { id }, 1))[0];
}

async function resultRows(db: Database, filters: ResultFilters, limit: number) {
  const rows = await db
    .select()
    .from(results)
    .where(
      and(
        filters.id ? eq(results.id, filters.id) : undefined,
        filters.model ? eq(results.modelId, filters.model) : undefined,
        filters.suite ? eq(results.suiteId, filters.suite) : undefined,
        filters.evaluator ? eq(results.evaluator, filters.evaluator) : undefined,
        filters.status ? eq(results.status, filters.status) : undefined,
        afterCursor(resultSort, filters.cursor),
      ),
    )
    .orderBy(...orderBy(resultSort))
    .limit(limit);
  if (!rows.length) return { rows, items: [] as Result[] };
  const ids = rows.map((row) => row.id);
  const suiteIds = [...new Set(rows.map((row) => row.suiteId))];
  const addresses = [...new Set(rows.map((row) => row.evaluator))];
  const [disputeRows, suiteRows, bondRows, [clock]] = await Promise.all([
    db.select().from(disputes).where(inArray(disputes.result, ids)).orderBy(asc(disputes.id)),
    db
      .select({ id: suites.id, metrics: suites.metrics })
      .from(suites)
      .where(inArray(suites.id, suiteIds)),
    db
      .select({ address: evaluators.address, bonded: evaluators.bonded })
      .from(evaluators)
      .where(inArray(evaluators.address, addresses)),
    gameClock(db),
  ]);
  const bonds = new Map(bondRows.map((row) => [row.address, row.bonded]));
  const items = rows.map((row): Result => {
    const metrics = suiteRows.find((suite) => suite.id === row.suiteId)?.metrics ?? [];
    const bond = bonds.get(row.evaluator) ?? 0n;
    return {
      id: row.id,
      modelId: row.modelId,
      suiteId: row.suiteId,
      evaluator: row.evaluator,
      metrics: Object.fromEntries(
        row.values.map((value, i) => [metrics[i] ?? `metric${i}`, value]),
      ),
      reportDigest: row.reportDigest,
      samplesRoot: row.samplesRoot,
      uri: row.uri,
      submittedAt: row.submittedAt,
      status: row.status,
      superseded: row.superseded,
      countsFrom: Number(countsFrom(row.submittedAt, clock!.game.challengePeriod)),
      standing: resultStanding({ ...row, bond }, clock!.game, clock!.now),
      bond: bond.toString(),
      disputes: disputeRows
        .filter((dispute) => dispute.result === row.id)
        .map((dispute) => toDispute(dispute, clock!.now)),
    };
  });
  return { rows, items };
}

/** The game's standing parameters and the indexed block's time: what a result's standing depends on. */
export const gameClock = (db: Database) =>
  db
    .select({
      game: { challengePeriod: governance.challengePeriod, minBond: governance.minBond },
      now: syncState.indexedTimestamp,
    })
    .from(governance)
    .innerJoin(syncState, eq(syncState.id, 1))
    .where(eq(governance.id, 1)) as Promise<{ game: StandingParameters; now: number }[]>;
