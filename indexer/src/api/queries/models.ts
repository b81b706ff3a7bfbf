import { ModelStatus, type RegisteredModelStatus } from '@charter/contracts/protocol';
import { and, asc, count, eq, ilike, inArray, or } from 'drizzle-orm';

import type { Family, Model, ModelDetail, Page } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { families, modelEvents, models } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { likePattern } from '../params';
import { resultsWhere } from './results';

export const modelSort: Sort = {
  name: 'newest',
  columns: [models.registeredBlock, models.registeredLogIndex],
  direction: 'desc',
};

export const toModel = (row: typeof models.$inferSelect): Model => ({
  id: row.id,
  family: row.family,
  version: row.version,
  uri: row.uri,
  parentId: row.parentId,
  registrant: row.registrant,
  registeredAt: row.registeredAt,
  status: row.status,
  approvedUnder:
    row.status === ModelStatus.approved && row.approvedPolicyId
      ? { policyId: row.approvedPolicyId, policyVersion: row.approvedPolicyVersion! }
      : null,
});

export async function listModels(
  db: Database,
  params: {
    limit: number;
    cursor?: string;
    family?: string;
    status?: RegisteredModelStatus;
    q?: string;
  },
): Promise<Page<Model>> {
  const rows = await db
    .select()
    .from(models)
    .where(
      and(
        params.family ? eq(models.family, params.family) : undefined,
        params.status ? eq(models.status, params.status) : undefined,
        params.q
          ? or(
              ilike(models.family, likePattern(params.q)),
              ilike(models.version, likePattern(params.q)),
            )
          : undefined,
        afterCursor(modelSort, params.cursor),
      ),
    )
    .orderBy(...orderBy(modelSort))
    .limit(params.limit + 1);
  return page(
    rows,
    params.limit,
    modelSort,
    (row) => [row.registeredBlock, row.registeredLogIndex],
    toModel,
  );
}

export async function getModel(db: Database, id: `0x${string}`): Promise<ModelDetail | undefined> {
  const [row] = await db.select().from(models).where(eq(models.id, id));
  if (!row) return undefined;
  const [history, modelResults] = await Promise.all([
    db
      .select()
      .from(modelEvents)
      .where(eq(modelEvents.modelId, id))
      .orderBy(asc(modelEvents.block), asc(modelEvents.logIndex)),
    resultsWhere(db, { model: id }, 500),
  ]);
  return {
    ...toModel(row),
    history: history.map((event) => ({
      status: event.status,
      at: event.at,
      tx: event.tx,
      ...(event.policyId ? { policyId: event.policyId, policyVersion: event.policyVersion! } : {}),
      ...(event.reason !== null ? { reason: event.reason } : {}),
    })),
    results: modelResults,
  };
}

export async function listFamilies(db: Database): Promise<Family[]> {
  const [familyRows, counts] = await Promise.all([
    db.select().from(families).orderBy(asc(families.name)),
    db
      .select({ familyId: models.familyId, versions: count() })
      .from(models)
      .groupBy(models.familyId),
  ]);
  const currentIds = familyRows.flatMap((family) =>
    family.currentModelId ? [family.currentModelId] : [],
  );
  const current = currentIds.length
    ? await db.select().from(models).where(inArray(models.id, currentIds))
    : [];
  return familyRows.map((family) => {
    const model = current.find((row) => row.id === family.currentModelId);
    return {
      family: family.name,
      currentVersion: model ? toModel(model) : null,
      versions: counts.find((row) => row.familyId === family.id)?.versions ?? 0,
    };
  });
}
