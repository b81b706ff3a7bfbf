import {
  bytes32ToShortName,
  describeCharterError,
  failingRuleIndex,
  isApprovable,
  ModelStatus,
  modelStatuses,
  policyCheck,
  policyFailureReasonOf,
  shortHex,
  type ErrorContext,
  type PolicyCheckRule,
  type PolicyFailureReason,
  type StandingParameters,
} from '@charter/contracts/protocol';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Hex } from 'viem';

import type {
  Approval,
  ApprovalBlocker,
  ApprovalWindowState,
  Evidence,
  EvidenceFailure,
} from '../../client/types';
import type { Database } from '../../database/openDatabase';
import {
  evaluators,
  families,
  governance,
  models,
  policies,
  policyRules,
  policyVersions,
  results,
  resultSlots,
  suites,
} from '../../database/schema';

/** What an approval proposal pins: `approve(modelId, policyId, policyVersion, expectedCurrent, expiresAt)`. */
export interface ApprovalPins {
  modelId: Hex;
  policyId: Hex;
  policyVersion: number;
  /** Zero for "no current version". */
  expectedCurrent: Hex;
  expiresAt: number;
}

const zeroHash = `0x${'0'.repeat(64)}` as const;
type ResultRow = typeof results.$inferSelect;
const governingPolicy = alias(policies, 'governing_policy');
const namedPolicy = alias(policies, 'named_policy');
const currentModel = alias(models, 'current_model');
const expectedModel = alias(models, 'expected_model');

/**
 * What `ModelRegistry.approve` would do at time `now` with the approval `pins` names: the pins and the
 * window against the chain (`Approval`), and the evidence for the model against the active version of its
 * family's policy (`Evidence`), which is the policy the registry checks whatever the proposal names. The
 * evidence check is the protocol's `policyCheck`, which a differential test proves equal to the
 * contract's; failures are the contract's custom errors, in the protocol's words.
 */
export async function approvalVerdict(
  db: Database,
  pins: ApprovalPins,
  now: number,
): Promise<{ approval: Approval; evidence: Evidence }> {
  const { modelId } = pins;
  // The model, its family, the family's policy with its active version, the named policy, the family's
  // current and the expected version's labels, and the approval window: one query.
  const [found] = await db
    .select({
      model: models,
      family: families,
      governing: governingPolicy,
      settings: policyVersions,
      named: namedPolicy,
      current: { version: currentModel.version },
      expected: { version: expectedModel.version },
      approvalWindow: governance.approvalWindow,
      game: { challengePeriod: governance.challengePeriod, minBond: governance.minBond },
    })
    .from(sql`(select 1) as one`)
    .leftJoin(models, eq(models.id, modelId))
    .leftJoin(families, eq(families.id, models.familyId))
    .leftJoin(governingPolicy, eq(governingPolicy.id, families.policyId))
    .leftJoin(
      policyVersions,
      and(
        eq(policyVersions.policyId, governingPolicy.id),
        eq(policyVersions.version, governingPolicy.currentVersion),
      ),
    )
    .leftJoin(namedPolicy, eq(namedPolicy.id, pins.policyId))
    .leftJoin(currentModel, eq(currentModel.id, families.currentModelId))
    .leftJoin(expectedModel, eq(expectedModel.id, pins.expectedCurrent))
    .leftJoin(governance, eq(governance.id, 1));
  const { model, family, governing, settings, named } = found!;

  const approval = approvalPinsNow(pins, now, {
    model,
    family,
    familyPolicyName: governing?.name ?? null,
    namedPolicy: named,
    currentVersion: found!.current?.version ?? null,
    expectedVersion: found!.expected?.version ?? null,
    approvalWindow: found!.approvalWindow ?? 0,
  });

  const evidence: Evidence = {
    modelId,
    policyId: governing?.id ?? pins.policyId,
    policyName: governing?.name ?? named?.name ?? shortHex(pins.policyId),
    policyVersion: governing?.currentVersion ?? null,
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
  if (model && !governing) {
    evidence.failure ??= failure('ModelRegistryNoFamilyPolicy', [model.familyId], undefined, {
      familyName: familyNameOf(model),
    });
  }
  if (governing && settings) {
    const game = found!.game ?? { challengePeriod: 0, minBond: 0n };
    await checkEvidence(db, evidence, governing.id, governing.currentVersion, settings, game, now);
  }
  // Evidence still in its challenge window is a wait, like the approval window: it will count from then.
  if (evidence.failure?.reason === 'in-window') {
    const { error, message, countsFrom } = evidence.failure;
    approval.blockers.push({ check: 'challenge-window', error, message, countsFrom });
  }
  approval.canExecute = approval.blockers.length === 0 && evidence.failure === null;
  evidence.wouldExecuteNow = approval.canExecute;
  return { approval, evidence };
}

/** The approval's pins and window against the chain, every failing check in the registry's order. */
function approvalPinsNow(
  pins: ApprovalPins,
  now: number,
  chain: {
    model: typeof models.$inferSelect | null;
    family: typeof families.$inferSelect | null;
    familyPolicyName: string | null;
    namedPolicy: typeof policies.$inferSelect | null;
    currentVersion: string | null;
    expectedVersion: string | null;
    approvalWindow: number;
  },
): Approval {
  const { model, family, namedPolicy: named } = chain;
  const opensAt = Math.max(0, pins.expiresAt - chain.approvalWindow);
  const window: ApprovalWindowState =
    now > pins.expiresAt ? 'expired' : now < opensAt ? 'not-yet-open' : 'open';
  const familyPolicyId = family?.policyId ?? null;
  // The registry reads the named policy's active version: zero when it was never set.
  const activeVersion = named?.currentVersion ?? 0;
  const current = family?.currentModelId ?? zeroHash;
  const expected = pins.expectedCurrent;
  const blockers: ApprovalBlocker[] = [];
  const blocker = (check: ApprovalBlocker['check'], error: string, args: unknown[]) =>
    blockers.push({
      check,
      error,
      message: describeCharterError(error, args, { familyName: familyNameOf(model) }),
    });

  if (window !== 'open') {
    blocker('window', 'ModelRegistryApprovalOutsideWindow', [opensAt, pins.expiresAt]);
  }
  if (model && !familyPolicyId) {
    blocker('family-policy', 'ModelRegistryNoFamilyPolicy', [model.familyId]);
  }
  if (model && familyPolicyId && familyPolicyId !== pins.policyId) {
    blocker('policy', 'ModelRegistryPolicyMismatch', [
      model.familyId,
      familyPolicyId,
      pins.policyId,
    ]);
  }
  if (activeVersion !== pins.policyVersion) {
    blocker('policy-version', 'ModelRegistryPolicyVersionChanged', [
      pins.policyId,
      BigInt(pins.policyVersion),
      BigInt(activeVersion),
    ]);
  }
  if (model && current !== expected) {
    blocker('current-version', 'ModelRegistryCurrentVersionChanged', [
      model.familyId,
      expected,
      current,
    ]);
  }
  return {
    modelId: pins.modelId,
    family: model?.family ?? null,
    version: model?.version ?? null,
    policyId: pins.policyId,
    policyName: named?.name ?? bytes32ToShortName(pins.policyId) ?? shortHex(pins.policyId),
    policyVersion: pins.policyVersion,
    expectedCurrent: expected === zeroHash ? null : expected,
    expectedCurrentVersion: chain.expectedVersion,
    expiresAt: pins.expiresAt,
    opensAt,
    window,
    familyPolicyId,
    familyPolicyName: chain.familyPolicyName,
    activePolicyVersion: named ? named.currentVersion : null,
    currentModelId: family?.currentModelId ?? null,
    currentVersion: chain.currentVersion,
    policyMatches: familyPolicyId !== null && familyPolicyId === pins.policyId,
    policyVersionMatches: activeVersion === pins.policyVersion,
    currentMatches: model !== null && current === expected,
    blockers,
    canExecute: false,
  };
}

/** Fills in the evidence's rules and, if it falls short, its failure, against one policy version. */
async function checkEvidence(
  db: Database,
  evidence: Evidence,
  policyId: Hex,
  version: number,
  settings: typeof policyVersions.$inferSelect,
  game: StandingParameters,
  now: number,
) {
  const modelId = evidence.modelId as Hex;
  const rules = await db
    .select({ rule: policyRules, suite: suites })
    .from(policyRules)
    .leftJoin(suites, eq(suites.id, policyRules.suiteId))
    .where(and(eq(policyRules.policyId, policyId), eq(policyRules.version, version)))
    .orderBy(asc(policyRules.index));
  const suiteIds = [...new Set(rules.map(({ rule }) => rule.suiteId))];
  // Live results of admitted evaluators, in the registry's set order (which decides `disputedBy`).
  const live = suiteIds.length
    ? await db
        .select({ result: results, bond: evaluators.bonded })
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
    live.map(({ result, bond }) => ({ ...result, bond })),
    [...new Set(live.map(({ result }) => result.evaluator))],
    now,
    game,
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
      results: ruleCheck.results.map(({ result, value, fresh, passes, standing, countsFrom }) => {
        const { result: row, bond } = live.find(
          (entry) => entry.result.id === (result as ResultRow).id,
        )!;
        return {
          evaluator: row.evaluator,
          resultId: row.id,
          value: value.toString(),
          submittedAt: row.submittedAt,
          status: row.status,
          countsFrom: Number(countsFrom),
          standing,
          bond: bond.toString(),
          fresh,
          passes,
          reportUri: row.uri,
          reportDigest: row.reportDigest,
        };
      }),
    };
  });
  if (check.failure) {
    evidence.failure ??= failure(check.failure.name, check.failure.args, undefined, {
      suiteName: (id) => names.get(id.toLowerCase() as Hex),
    });
    // PolicyRegistryEvidenceInChallengeWindow(ruleIndex, suiteId, evaluator, countsFrom)
    if (evidence.failure.error === 'PolicyRegistryEvidenceInChallengeWindow') {
      evidence.failure.countsFrom = Number(check.failure.args[3]);
    }
  }
}

/** The catalogue's way to name the model's family by its id. */
const familyNameOf =
  (model: { familyId: Hex; family: string } | null) =>
  (familyId: Hex): string | undefined =>
    model && familyId.toLowerCase() === model.familyId ? model.family : undefined;

/** A failure as the contract's custom error names it, in the protocol's words. */
function failure(
  error: string,
  args: readonly unknown[],
  reason?: PolicyFailureReason,
  names: ErrorContext = {},
): EvidenceFailure {
  const message = describeCharterError(error, args, names);
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
