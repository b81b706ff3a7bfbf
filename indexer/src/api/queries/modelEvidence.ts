import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import type { Evidence, EvidenceResult, EvidenceRule } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import {
  evaluators,
  models,
  policies,
  policyRules,
  policyVersions,
  results,
  resultSlots,
  suites,
} from '../../database/schema';
import { fixed, shortHex } from './format';

/**
 * The evidence for `modelId` against the active version of `policyId` at time `now`, computed the way
 * `PolicyRegistry.checkPolicy` does: per rule, each admitted evaluator's live result counts if it is
 * valid, no older than the maximum age and meets the threshold; a rule that too few evaluators meet
 * fails for the most telling reason, in the contract's order: a value short of the threshold, then
 * stale evidence, then a dispute, then missing evidence. `ModelRegistry.approve` first checks the model
 * can move to approved, so that failure comes first.
 */
export async function modelEvidence(
  db: Database,
  modelId: `0x${string}`,
  policyId: `0x${string}`,
  now: number,
): Promise<Evidence> {
  // The policy with its active version, and the model: one query.
  const [found] = await db
    .select({ policy: policies, settings: policyVersions, model: models })
    .from(sql`(select 1) as one`)
    .leftJoin(policies, eq(policies.id, policyId))
    .leftJoin(
      policyVersions,
      and(
        eq(policyVersions.policyId, policies.id),
        eq(policyVersions.version, policies.currentVersion),
      ),
    )
    .leftJoin(models, eq(models.id, modelId));
  const { policy, settings, model } = found!;
  const evidence: Evidence = {
    modelId,
    policyId,
    policyName: policy?.name ?? shortHex(policyId),
    policyVersion: policy?.currentVersion ?? null,
    wouldExecuteNow: false,
    failure: null,
    rules: [],
  };
  if (!model) {
    evidence.failure = {
      rule: null,
      reason: 'unknown-model',
      message: `model ${modelId} is not registered`,
    };
  } else if (model.status !== 'candidate' && model.status !== 'deprecated') {
    evidence.failure = {
      rule: null,
      reason: 'invalid-transition',
      message: `${model.family} ${model.version} is ${model.status}; only a candidate or deprecated version can be approved`,
    };
  }
  if (!policy || !settings) {
    evidence.failure ??= {
      rule: null,
      reason: 'unknown-policy',
      message: `policy ${policyId} was never set`,
    };
    return evidence;
  }

  const rules = await db
    .select({ rule: policyRules, suite: suites })
    .from(policyRules)
    .leftJoin(suites, eq(suites.id, policyRules.suiteId))
    .where(and(eq(policyRules.policyId, policyId), eq(policyRules.version, policy.currentVersion)))
    .orderBy(asc(policyRules.index));
  const suiteIds = [...new Set(rules.map(({ rule }) => rule.suiteId))];
  // Live results of admitted evaluators, in the registry's set order (which decides `disputedBy`).
  const live = suiteIds.length
    ? await db
        .select({ result: results })
        .from(results)
        .innerJoin(resultSlots, eq(resultSlots.liveId, results.id))
        .innerJoin(evaluators, eq(evaluators.address, results.evaluator))
        .where(
          and(
            eq(results.modelId, modelId),
            inArray(results.suiteId, suiteIds),
            eq(evaluators.admitted, true),
          ),
        )
        .orderBy(asc(evaluators.setIndex))
    : [];
  const maxAge = settings.maxEvidenceAge;
  const required = settings.minEvaluators;

  for (const { rule, suite } of rules) {
    const metricIndex = suite?.metricIds.indexOf(rule.metricId) ?? -1;
    const atLeast = rule.comparator === '>=';
    let satisfied = 0;
    let belowThreshold = false;
    let bestFailing: bigint | undefined;
    let youngestStaleAge: number | undefined;
    let disputedBy: string | undefined;
    const ruleResults: EvidenceResult[] = [];

    for (const { result } of live.filter((row) => row.result.suiteId === rule.suiteId)) {
      const value = BigInt(result.values[metricIndex] ?? '0');
      const age = now - result.submittedAt;
      const fresh = age <= maxAge;
      const passes = atLeast ? value >= rule.threshold : value <= rule.threshold;
      ruleResults.push({
        evaluator: result.evaluator,
        resultId: result.id,
        value: value.toString(),
        submittedAt: result.submittedAt,
        status: result.status,
        fresh,
        passes,
        reportUri: result.uri,
        reportDigest: result.reportDigest,
      });
      if (result.status !== 'valid') {
        disputedBy = result.evaluator;
      } else if (!fresh) {
        if (youngestStaleAge === undefined || age < youngestStaleAge) youngestStaleAge = age;
      } else if (passes) {
        satisfied++;
      } else {
        belowThreshold = true;
        if (bestFailing === undefined || (atLeast ? value > bestFailing : value < bestFailing)) {
          bestFailing = value;
        }
      }
    }

    const met = satisfied >= required;
    const entry: EvidenceRule = {
      index: rule.index,
      suiteId: rule.suiteId,
      ...(suite?.uri ? { suiteName: suiteName(suite.uri) } : {}),
      metric: rule.metric,
      comparator: rule.comparator,
      threshold: rule.threshold.toString(),
      required,
      satisfied,
      met,
      results: ruleResults,
    };
    evidence.rules.push(entry);
    if (met || evidence.failure) continue;
    const label = `rule ${rule.index} (${rule.metric} ${rule.comparator} ${fixed(rule.threshold)})`;
    if (belowThreshold) {
      evidence.failure = {
        rule: rule.index,
        reason: 'threshold',
        message: `${label}: the best failing value is ${fixed(bestFailing!)}; ${satisfied} of ${required} evaluators meet it`,
      };
    } else if (youngestStaleAge !== undefined) {
      evidence.failure = {
        rule: rule.index,
        reason: 'too-old',
        message: `${label}: the youngest result is ${youngestStaleAge} s old; the policy accepts ${maxAge} s`,
      };
    } else if (disputedBy) {
      evidence.failure = {
        rule: rule.index,
        reason: 'disputed',
        message: `${label}: the result of ${disputedBy} is disputed`,
      };
    } else {
      evidence.failure = {
        rule: rule.index,
        reason: 'missing',
        message: `${label}: ${satisfied} of ${required} evaluators have a countable result`,
      };
    }
  }
  evidence.wouldExecuteNow = evidence.failure === null;
  return evidence;
}

/** A suite has no name on-chain; the last segment of its URI, without extension, reads as one. */
const suiteName = (uri: string) =>
  uri
    .replace(/[?#].*$/, '')
    .split('/')
    .filter(Boolean)
    .at(-1)
    ?.replace(/\.[a-z]+$/i, '') ?? uri;
