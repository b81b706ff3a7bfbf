import {
  describeCharterError,
  failingRuleIndex,
  isApprovable,
  ModelStatus,
  modelStatuses,
  policyCheck,
  policyFailureReasonOf,
  shortHex,
  type PolicyCheckRule,
  type PolicyFailureReason,
} from '@charter/contracts/protocol';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Hex } from 'viem';

import type { Evidence, EvidenceFailure } from '../../client/types';
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

/**
 * The evidence for `modelId` against the active version of `policyId` at time `now`, and what
 * `ModelRegistry.approve(modelId, policyId)` would do with it: first the registry checks the model can
 * move to approved, then `PolicyRegistry` checks the evidence. The check is the protocol's `policyCheck`,
 * which a differential test proves equal to the contract's; failures are the contract's custom errors, in
 * the protocol's words.
 */
export async function modelEvidence(
  db: Database,
  modelId: Hex,
  policyId: Hex,
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
  const status = model?.status ?? ModelStatus.unknown;
  if (!isApprovable(status)) {
    evidence.failure = failure(
      'ModelRegistryInvalidTransition',
      [modelId, modelStatuses.indexOf(status), modelStatuses.indexOf(ModelStatus.approved)],
      model ? undefined : policyFailureReasonOf.ModelRegistryUnknownModel,
    );
  }
  if (!policy || !settings) {
    evidence.failure ??= failure('PolicyRegistryUnknownPolicy', [policyId]);
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

  const check = policyCheck(
    {
      minEvaluators: settings.minEvaluators,
      maxEvidenceAge: settings.maxEvidenceAge,
      rules: rules.map(({ rule, suite }): PolicyCheckRule => ({
        suiteId: rule.suiteId,
        metricId: rule.metricId,
        metricIndex: suite?.metricIds.indexOf(rule.metricId) ?? -1,
        comparator: rule.comparator,
        threshold: rule.threshold,
      })),
    },
    live.map(({ result }) => result),
    [...new Set(live.map(({ result }) => result.evaluator))],
    now,
  );
  const names = new Map(
    rules.flatMap(({ suite }) => (suite?.uri ? [[suite.id, suiteName(suite.uri)] as const] : [])),
  );
  evidence.rules = check.rules.map((ruleCheck, i) => {
    const { rule, suite } = rules[i]!;
    return {
      index: rule.index,
      suiteId: rule.suiteId,
      ...(suite?.uri ? { suiteName: suiteName(suite.uri) } : {}),
      metric: rule.metric,
      comparator: rule.comparator,
      threshold: rule.threshold.toString(),
      required: ruleCheck.required,
      satisfied: ruleCheck.satisfied,
      met: ruleCheck.met,
      results: ruleCheck.results.map(({ result, value, fresh, passes }) => {
        const row = live.find((entry) => entry.result === result)!.result;
        return {
          evaluator: row.evaluator,
          resultId: row.id,
          value: value.toString(),
          submittedAt: row.submittedAt,
          status: row.status,
          fresh,
          passes,
          reportUri: row.uri,
          reportDigest: row.reportDigest,
        };
      }),
    };
  });
  if (check.failure) {
    evidence.failure ??= failure(check.failure.name, check.failure.args, undefined, names);
  }
  evidence.wouldExecuteNow = evidence.failure === null;
  return evidence;
}

/** A failure as the contract's custom error names it, in the protocol's words. */
function failure(
  error: string,
  args: readonly unknown[],
  reason?: PolicyFailureReason,
  suiteNames?: Map<string, string>,
): EvidenceFailure {
  const message = describeCharterError(error, args, {
    suiteName: (id) => suiteNames?.get(id.toLowerCase()),
  });
  return {
    rule: failingRuleIndex({ name: error, args, message }) ?? null,
    reason: reason ?? policyFailureReasonOf[error]!,
    error,
    message,
  };
}

/** A suite has no name on-chain; the last segment of its URI, without extension, reads as one. */
const suiteName = (uri: string) =>
  uri
    .replace(/[?#].*$/, '')
    .split('/')
    .filter(Boolean)
    .at(-1)
    ?.replace(/\.[a-z]+$/i, '') ?? uri;
