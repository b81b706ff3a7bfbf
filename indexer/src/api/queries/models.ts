import { ModelStatus, type RegisteredModelStatus } from '@charter/contracts/protocol';
import { and, asc, count, eq, ilike, inArray, ne, or, sql } from 'drizzle-orm';

import type { Family, Model, ModelDetail, Page } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { families, modelEvents, models, policies, syncState } from '../../database/schema';
import { afterCursor, orderBy, page, type Sort } from '../cursor';
import { likePattern } from '../params';
import { resultsWhere } from './results';

export const modelSort: Sort = {
  name: 'newest',
  columns: [models.registeredBlock, models.registeredLogIndex],
  direction: 'desc',
};

/** The indexed block's timestamp, read in the answer's own snapshot: the clock suspensions lapse by. */
export const indexedNow =
  sql<number>`(select ${syncState.indexedTimestamp} from ${syncState})`.mapWith(Number);

/** A model row with what the API shows beside it: its family's maintainer and the indexed time. */
const modelColumns = { model: models, maintainer: families.maintainer, now: indexedNow };
interface ModelRow {
  model: typeof models.$inferSelect;
  maintainer: `0x${string}` | null;
  now: number;
}

/** The approval a version is under: approved, or suspended (the approval the suspension holds). */
const holdsApproval = (status: RegisteredModelStatus) =>
  status === ModelStatus.approved || status === ModelStatus.suspended;

export const toModel = ({ model: row, maintainer, now }: ModelRow): Model => ({
  id: row.id,
  familyId: row.familyId,
  family: row.family,
  version: row.version,
  uri: row.uri,
  parentId: row.parentId,
  registrant: row.registrant,
  registeredAt: row.registeredAt,
  maintainer,
  status: row.status,
  approvedUnder:
    holdsApproval(row.status) && row.approvedPolicyId
      ? { policyId: row.approvedPolicyId, policyVersion: row.approvedPolicyVersion! }
      : null,
  suspension:
    row.status === ModelStatus.suspended && row.suspendedUntil !== null
      ? {
          since: row.suspendedAt!,
          until: row.suspendedUntil,
          reason: row.suspensionReason ?? '',
          // The registry lets anyone end it from `until` on (`endLapsedSuspension`).
          lapsed: now >= row.suspendedUntil,
        }
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
    .select(modelColumns)
    .from(models)
    .leftJoin(families, eq(families.id, models.familyId))
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
    ({ model }) => [model.registeredBlock, model.registeredLogIndex],
    toModel,
  );
}

export async function getModel(db: Database, id: `0x${string}`): Promise<ModelDetail | undefined> {
  const [row] = await db
    .select(modelColumns)
    .from(models)
    .leftJoin(families, eq(families.id, models.familyId))
    .where(eq(models.id, id));
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
      ...(event.suspendedUntil !== null ? { until: event.suspendedUntil } : {}),
      ...(event.suspensionEnded !== null ? { suspensionEnded: event.suspensionEnded } : {}),
    })),
    results: modelResults,
  };
}

export async function listFamilies(db: Database): Promise<Family[]> {
  const [familyRows, counts] = await Promise.all([
    db
      .select({ family: families, policy: policies })
      .from(families)
      .leftJoin(policies, eq(policies.id, families.policyId))
      // A family only governance named a maintainer for has no name until an event names it.
      .where(ne(families.name, ''))
      .orderBy(asc(families.name)),
    db
      .select({ familyId: models.familyId, versions: count() })
      .from(models)
      .groupBy(models.familyId),
  ]);
  const currentIds = familyRows.flatMap(({ family }) =>
    family.currentModelId ? [family.currentModelId] : [],
  );
  const current = currentIds.length
    ? await db
        .select(modelColumns)
        .from(models)
        .leftJoin(families, eq(families.id, models.familyId))
        .where(inArray(models.id, currentIds))
    : [];
  return familyRows.map(({ family, policy }) => {
    const model = current.find((row) => row.model.id === family.currentModelId);
    return {
      family: family.name,
      familyId: family.id,
      policy: family.policyId
        ? {
            id: family.policyId,
            name: policy?.name ?? family.policyId,
            activeVersion: policy?.currentVersion ?? null,
          }
        : null,
      maintainer: family.maintainer,
      currentVersion: model ? toModel(model) : null,
      versions: counts.find((row) => row.familyId === family.id)?.versions ?? 0,
    };
  });
}
