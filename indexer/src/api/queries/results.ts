import { and, asc, eq, inArray } from 'drizzle-orm';

import type { Page, Result, ResultStatus } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { disputes, results, suites } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';

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

type ResultRow = typeof results.$inferSelect;

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
  const [disputeRows, suiteRows] = await Promise.all([
    db.select().from(disputes).where(inArray(disputes.resultId, ids)).orderBy(asc(disputes.seq)),
    db
      .select({ id: suites.id, metrics: suites.metrics })
      .from(suites)
      .where(inArray(suites.id, suiteIds)),
  ]);
  const items = rows.map((row): Result => toResult(row, suiteRows, disputeRows));
  return { rows, items };
}

function toResult(
  row: ResultRow,
  suiteRows: { id: string; metrics: string[] }[],
  disputeRows: (typeof disputes.$inferSelect)[],
): Result {
  const metrics = suiteRows.find((suite) => suite.id === row.suiteId)?.metrics ?? [];
  return {
    id: row.id,
    modelId: row.modelId,
    suiteId: row.suiteId,
    evaluator: row.evaluator,
    metrics: Object.fromEntries(row.values.map((value, i) => [metrics[i] ?? `metric${i}`, value])),
    reportDigest: row.reportDigest,
    samplesRoot: row.samplesRoot,
    uri: row.uri,
    submittedAt: row.submittedAt,
    status: row.status,
    superseded: row.superseded,
    disputes: disputeRows
      .filter((dispute) => dispute.resultId === row.id)
      .map((dispute) => ({
        disputer: dispute.disputer,
        reason: dispute.reason,
        at: dispute.at,
        resolved: dispute.resolution,
      })),
  };
}
