import { DisputeStatus } from '@charter/contracts/protocol';
import { and, asc, desc, eq } from 'drizzle-orm';

import type { Evaluator, EvaluatorDetail, Policy, PolicySummary, Suite } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import {
  bondEvents,
  credits,
  disputes,
  evaluators,
  governance,
  policies,
  policyRules,
  policyVersions,
  suites,
} from '../../database/schema';
import { toDispute } from './disputes';
import { gameClock } from './results';

export async function listPolicies(db: Database): Promise<PolicySummary[]> {
  const rows = await db.select().from(policies).orderBy(asc(policies.name));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    currentVersion: row.currentVersion,
    versions: row.currentVersion,
  }));
}

export async function getPolicy(db: Database, id: `0x${string}`): Promise<Policy | undefined> {
  const [row] = await db.select().from(policies).where(eq(policies.id, id));
  if (!row) return undefined;
  const [versions, rules] = await Promise.all([
    db
      .select()
      .from(policyVersions)
      .where(eq(policyVersions.policyId, id))
      .orderBy(asc(policyVersions.version)),
    db
      .select()
      .from(policyRules)
      .where(eq(policyRules.policyId, id))
      .orderBy(asc(policyRules.version), asc(policyRules.index)),
  ]);
  return {
    id: row.id,
    name: row.name,
    versions: versions.map((version) => ({
      version: version.version,
      rules: rules
        .filter((rule) => rule.version === version.version)
        .map((rule) => ({
          suiteId: rule.suiteId,
          metric: rule.metric,
          comparator: rule.comparator,
          threshold: rule.threshold.toString(),
        })),
      minEvaluators: version.minEvaluators,
      maxEvidenceAge: version.maxEvidenceAge,
      uri: version.uri,
      setAt: version.setAt,
      tx: version.tx,
    })),
  };
}

export async function listSuites(db: Database): Promise<Suite[]> {
  const rows = await db.select().from(suites).orderBy(asc(suites.registeredAt), asc(suites.id));
  return rows.map((row) => ({
    id: row.id,
    datasetDigest: row.datasetDigest,
    metrics: row.metrics,
    uri: row.uri,
    registeredAt: row.registeredAt,
  }));
}

export async function listEvaluators(db: Database): Promise<Evaluator[]> {
  const [rows, [game]] = await Promise.all([
    db.select().from(evaluators).orderBy(asc(evaluators.admittedAt), asc(evaluators.address)),
    db.select({ minBond: governance.minBond }).from(governance),
  ]);
  return rows.map((row) => toEvaluator(row, game?.minBond ?? 0n));
}

/** An evaluator with its bond history, the disputes upheld and open against it, and its credit. */
export async function getEvaluator(
  db: Database,
  address: `0x${string}`,
): Promise<EvaluatorDetail | undefined> {
  const [row] = await db.select().from(evaluators).where(eq(evaluators.address, address));
  if (!row) return undefined;
  const against = (status: DisputeStatus) =>
    db
      .select()
      .from(disputes)
      .where(and(eq(disputes.evaluator, address), eq(disputes.status, status)))
      .orderBy(status === DisputeStatus.open ? asc(disputes.id) : desc(disputes.id));
  const [history, upheld, open, [credit], [clock]] = await Promise.all([
    db
      .select()
      .from(bondEvents)
      .where(eq(bondEvents.evaluator, address))
      .orderBy(desc(bondEvents.block), desc(bondEvents.logIndex)),
    against(DisputeStatus.upheld),
    against(DisputeStatus.open),
    db.select().from(credits).where(eq(credits.account, address)),
    gameClock(db),
  ]);
  return {
    ...toEvaluator(row, clock?.game.minBond ?? 0n),
    bondHistory: history.map((entry) => ({
      change: entry.change,
      amount: entry.amount.toString(),
      bonded: entry.bonded.toString(),
      unbonding: entry.unbonding.toString(),
      unbondingReadyAt: entry.unbondingReadyAt,
      disputeId: entry.disputeId,
      at: entry.at,
      block: entry.block,
      tx: entry.tx,
    })),
    upheldDisputes: upheld.map((dispute) => toDispute(dispute, clock?.now ?? 0)),
    openDisputeList: open.map((dispute) => toDispute(dispute, clock?.now ?? 0)),
    credit: (credit?.credit ?? 0n).toString(),
  };
}

function toEvaluator(row: typeof evaluators.$inferSelect, minBond: bigint): Evaluator {
  return {
    address: row.address,
    name: row.name,
    admitted: row.admitted,
    admittedAt: row.admittedAt,
    removedAt: row.removedAt,
    resultCount: row.resultCount,
    stake: {
      bonded: row.bonded.toString(),
      unbonding: row.unbonding.toString(),
      unbondingReadyAt: row.unbondingReadyAt,
      meetsMinBond: row.bonded >= minBond,
      openDisputes: row.openDisputes,
      slashed: row.slashed.toString(),
    },
  };
}
