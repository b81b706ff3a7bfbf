import type { DisputeStatus } from '@charter/contracts/protocol';
import { and, eq, type SQL } from 'drizzle-orm';

import type { Dispute, Page } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { disputes } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';

export const disputeSort: Sort = { name: 'newest', columns: [disputes.id], direction: 'desc' };

export interface DisputeFilters {
  status?: DisputeStatus;
  evaluator?: `0x${string}`;
  disputer?: `0x${string}`;
  model?: `0x${string}`;
  /** `resultId:reportDigest` (one version) or a registry result id (every version of the slot). */
  result?: string;
  cursor?: string;
}

/** The condition the filters make; undefined for none. */
export function disputesMatching(filters: DisputeFilters): SQL | undefined {
  const { result } = filters;
  return and(
    filters.status ? eq(disputes.status, filters.status) : undefined,
    filters.evaluator ? eq(disputes.evaluator, filters.evaluator) : undefined,
    filters.disputer ? eq(disputes.disputer, filters.disputer) : undefined,
    filters.model ? eq(disputes.modelId, filters.model) : undefined,
    result
      ? result.includes(':')
        ? eq(disputes.result, result)
        : eq(disputes.resultId, result as `0x${string}`)
      : undefined,
  );
}

/** Disputes matching the filters, newest first. */
export async function listDisputes(
  db: Database,
  params: DisputeFilters & { limit: number; now: number },
): Promise<Page<Dispute>> {
  const rows = await db
    .select()
    .from(disputes)
    .where(and(disputesMatching(params), afterCursor(disputeSort, params.cursor)))
    .orderBy(...orderBy(disputeSort))
    .limit(params.limit + 1);
  return page(
    rows,
    params.limit,
    disputeSort,
    (row) => [row.id],
    (row) => toDispute(row, params.now),
  );
}

export async function getDispute(
  db: Database,
  id: number,
  now: number,
): Promise<Dispute | undefined> {
  const [row] = await db.select().from(disputes).where(eq(disputes.id, id));
  return row && toDispute(row, now);
}

export function toDispute(row: typeof disputes.$inferSelect, now: number): Dispute {
  const resolved = row.status !== 'open';
  return {
    id: row.id,
    result: row.result,
    resultId: row.resultId,
    reportDigest: row.reportDigest,
    modelId: row.modelId,
    suiteId: row.suiteId,
    evaluator: row.evaluator,
    disputer: row.disputer,
    bond: row.bond.toString(),
    sample: {
      id: row.sampleId,
      label: row.sampleLabel.toString(),
      prediction: row.samplePrediction.toString(),
      score: row.sampleScore.toString(),
    },
    claim: {
      prediction: row.claimedPrediction.toString(),
      score: row.claimedScore.toString(),
      reportDigest: row.claimReportDigest,
      uri: row.claimUri,
    },
    openedAt: row.openedAt,
    lapsesAt: row.lapsesAt,
    // The registry lets anyone resolve it once `lapsesAt` has passed (`block.timestamp >= lapsesAt`).
    lapsable: !resolved && now >= row.lapsesAt,
    status: row.status,
    resolution: !resolved
      ? null
      : row.lapsed
        ? 'lapsed'
        : row.status === 'upheld'
          ? 'upheld'
          : 'rejected',
    resolvedAt: row.resolvedAt,
    payout: resolved
      ? {
          slashed: (row.slashed ?? 0n).toString(),
          toDisputer: (row.toDisputer ?? 0n).toString(),
          toEvaluator: (row.toEvaluator ?? 0n).toString(),
          toTreasury: (row.toTreasury ?? 0n).toString(),
        }
      : null,
    block: row.block,
    tx: row.tx,
    resolvedTx: row.resolvedTx,
  };
}
