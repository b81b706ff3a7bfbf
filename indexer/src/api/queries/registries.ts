import { asc, eq } from 'drizzle-orm';

import type { Evaluator, Policy, PolicySummary, Suite } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { evaluators, policies, policyRules, policyVersions, suites } from '../../database/schema';

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
  const rows = await db
    .select()
    .from(evaluators)
    .orderBy(asc(evaluators.admittedAt), asc(evaluators.address));
  return rows.map((row) => ({
    address: row.address,
    name: row.name,
    admitted: row.admitted,
    admittedAt: row.admittedAt,
    removedAt: row.removedAt,
    resultCount: row.resultCount,
  }));
}
