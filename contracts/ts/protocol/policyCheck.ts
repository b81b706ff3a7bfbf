import { getAddress, type Address, type Hex } from 'viem';

import { countsFrom, resultStanding, type StandingParameters } from './evidenceGame';
import { comparators, Standing, type Comparator, type ResultStatus } from './vocabulary';

// `PolicyRegistry.checkPolicy` in TypeScript, for readers that list evidence without a contract call (the
// indexer's API). The one copy: policyCheck.test.ts proves it equal to the contract on randomized evidence.

/** One rule of a policy version, as the registry stores it. */
export interface PolicyCheckRule {
  suiteId: Hex;
  /** The metric's short name as bytes32 (what the contract's error names). */
  metricId: Hex;
  /** Where the metric sits in the suite's metrics, so in a result's values. */
  metricIndex: number;
  comparator: Comparator;
  threshold: bigint;
}

/** A policy version: its rules, how many evaluators must meet each, and how old evidence may be. */
export interface PolicyCheckPolicy {
  rules: readonly PolicyCheckRule[];
  minEvaluators: number;
  /** Seconds. */
  maxEvidenceAge: number | bigint;
}

/** An evaluator's live result for (model, suite). Results of evaluators not admitted are ignored. */
export interface PolicyCheckResult {
  evaluator: Address;
  suiteId: Hex;
  status: ResultStatus;
  /** Unix seconds. */
  submittedAt: number | bigint;
  /** Metric values in the suite's order (WAD). */
  values: readonly (bigint | string)[];
  /** The evaluator's active bond in wei; 0 when not given. */
  bond?: bigint | string;
}

/** What one result amounts to for one rule. */
export interface RuleResultCheck {
  result: PolicyCheckResult;
  /** Whether it counts at all now, and if not why (in its window, disputed, struck, underbonded). */
  standing: Standing;
  /** Unix seconds from which it counts (the end of its challenge window). */
  countsFrom: bigint;
  value: bigint;
  /** Seconds since it was submitted. */
  age: bigint;
  /** Not older than the policy's maximum evidence age. */
  fresh: boolean;
  /** The value meets the threshold. */
  passes: boolean;
  /** Standing `counts`, fresh and passing: it counts toward the rule. */
  counts: boolean;
}

/** One rule's tally, as the contract's `_tally` counts it. */
export interface RuleCheck {
  index: number;
  rule: PolicyCheckRule;
  /** The policy's minimum number of evaluators. */
  required: number;
  satisfied: number;
  met: boolean;
  /** Each admitted evaluator's result for the rule's suite, in the registry's evaluator order. */
  results: RuleResultCheck[];
  /** The contract's error for this rule when it is not met (whether or not it is the first to fail). */
  failure: PolicyFailure | undefined;
}

/**
 * The custom error `checkPolicy` returns, as viem decodes it: name and arguments (uint256 as bigint, the
 * comparator as its enum number, bytes32 lowercase, addresses checksummed).
 */
export interface PolicyFailure {
  name:
    | 'PolicyRegistryThresholdNotMet'
    | 'PolicyRegistryEvidenceTooOld'
    | 'PolicyRegistryEvidenceInChallengeWindow'
    | 'PolicyRegistryEvidenceDisputed'
    | 'PolicyRegistryEvaluatorUnderbonded'
    | 'PolicyRegistryEvidenceMissing';
  args: readonly unknown[];
}

export interface PolicyCheck {
  met: boolean;
  /** The first failing rule's error, in rule order, as `checkPolicy` and `requirePolicy` name it. */
  failure: PolicyFailure | undefined;
  rules: RuleCheck[];
}

/** No challenge window and no bond required: how the registry behaved before the evidence game. */
const NO_GAME: StandingParameters = { challengePeriod: 0, minBond: 0n };

/**
 * Checks evidence against a policy version at time `now` exactly as `PolicyRegistry.checkPolicy` does. Per
 * rule, each admitted evaluator's result counts when its standing is `counts` (past its challenge window,
 * undisputed, its evaluator bonded at least `game.minBond`), it is no older than the maximum age and it meets
 * the threshold; results that do not stand are not compared with the threshold. A rule that too few
 * evaluators meet fails for the most telling reason, in the contract's precedence: a value short of the
 * threshold (naming the best such value), then stale evidence (naming the youngest age), then a result
 * still in its challenge window (naming the earliest time one counts from), then a dispute (naming the last
 * disputed or struck result in evaluator order), then an underbonded evaluator (the last), then missing
 * evidence.
 *
 * @param admitted The admitted evaluators in the registry's order (`EvidenceRegistry.evaluators()`).
 * @param game The registry's challenge period and minimum bond; without it, none (every posted valid result stands).
 */
export function policyCheck(
  policy: PolicyCheckPolicy,
  results: readonly PolicyCheckResult[],
  admitted: readonly Address[],
  now: number | bigint,
  game: StandingParameters = NO_GAME,
): PolicyCheck {
  const maxAge = BigInt(policy.maxEvidenceAge);
  const required = policy.minEvaluators;
  const order = new Map(admitted.map((address, i) => [address.toLowerCase(), i]));
  const live = results
    .filter((result) => result.status !== 'none' && order.has(result.evaluator.toLowerCase()))
    .sort((a, b) => order.get(a.evaluator.toLowerCase())! - order.get(b.evaluator.toLowerCase())!);

  const rules = policy.rules.map((rule, index): RuleCheck => {
    const atLeast = comparators.indexOf(rule.comparator) === 0; // Comparator.AtLeast
    const meets = (value: bigint) => (atLeast ? value >= rule.threshold : value <= rule.threshold);
    let satisfied = 0;
    let belowThreshold = false;
    let bestFailingValue = atLeast ? 0n : 2n ** 256n - 1n;
    let youngestStaleAge: bigint | undefined;
    let inWindow: { evaluator: Address; countsFrom: bigint } | undefined;
    let disputedBy: Address | undefined;
    let underbonded: { evaluator: Address; bond: bigint } | undefined;
    const checks: RuleResultCheck[] = [];

    for (const result of live) {
      if (result.suiteId.toLowerCase() !== rule.suiteId.toLowerCase()) continue;
      const bond = BigInt(result.bond ?? 0n);
      const standing = resultStanding({ ...result, bond }, game, now);
      const from = countsFrom(result.submittedAt, game.challengePeriod);
      const value = BigInt(result.values[rule.metricIndex] ?? 0n);
      const age = BigInt(now) - BigInt(result.submittedAt);
      const fresh = age <= maxAge;
      const passes = meets(value);
      const counts = standing === Standing.counts && fresh && passes;
      checks.push({ result, standing, countsFrom: from, value, age, fresh, passes, counts });
      if (standing === Standing.struck || standing === Standing.disputed) {
        disputedBy = result.evaluator;
      } else if (standing === Standing.underbonded) {
        underbonded = { evaluator: result.evaluator, bond };
      } else if (standing === Standing['in-window']) {
        if (inWindow === undefined || from < inWindow.countsFrom) {
          inWindow = { evaluator: result.evaluator, countsFrom: from };
        }
      } else if (!fresh) {
        if (youngestStaleAge === undefined || age < youngestStaleAge) youngestStaleAge = age;
      } else if (counts) {
        satisfied++;
      } else {
        belowThreshold = true;
        if (atLeast ? value > bestFailingValue : value < bestFailingValue) bestFailingValue = value;
      }
    }

    const met = satisfied >= required;
    const i = BigInt(index);
    const suiteId = rule.suiteId.toLowerCase();
    let failure: PolicyFailure | undefined;
    if (met) failure = undefined;
    else if (belowThreshold) {
      failure = {
        name: 'PolicyRegistryThresholdNotMet',
        args: [
          i,
          rule.metricId.toLowerCase(),
          comparators.indexOf(rule.comparator),
          rule.threshold,
          bestFailingValue,
          BigInt(satisfied),
          BigInt(required),
        ],
      };
    } else if (youngestStaleAge !== undefined) {
      failure = {
        name: 'PolicyRegistryEvidenceTooOld',
        args: [i, suiteId, youngestStaleAge, maxAge],
      };
    } else if (inWindow !== undefined) {
      failure = {
        name: 'PolicyRegistryEvidenceInChallengeWindow',
        args: [i, suiteId, getAddress(inWindow.evaluator), inWindow.countsFrom],
      };
    } else if (disputedBy !== undefined) {
      failure = {
        name: 'PolicyRegistryEvidenceDisputed',
        args: [i, suiteId, getAddress(disputedBy)],
      };
    } else if (underbonded !== undefined) {
      failure = {
        name: 'PolicyRegistryEvaluatorUnderbonded',
        args: [i, suiteId, getAddress(underbonded.evaluator), underbonded.bond, game.minBond],
      };
    } else {
      failure = {
        name: 'PolicyRegistryEvidenceMissing',
        args: [i, suiteId, BigInt(satisfied), BigInt(required)],
      };
    }
    return { index, rule, required, satisfied, met, results: checks, failure };
  });

  const failure = rules.find((rule) => !rule.met)?.failure;
  return { met: failure === undefined, failure, rules };
}
