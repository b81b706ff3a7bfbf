import { encodeErrorResult } from 'viem';
import { expect, it } from 'vitest';

import { charterErrorsAbi } from '../generated/abis';
import {
  decodeCharterError,
  describeRevertData,
  failingRuleIndex,
  policyFailureReasonOf,
} from './errors';
import { parseWad } from './fixedPoint';
import { shortNameToBytes32 } from './shortName';
import { modelStatuses, policyFailureReasons } from './vocabulary';

const thresholdNotMet = encodeErrorResult({
  abi: charterErrorsAbi,
  errorName: 'PolicyRegistryThresholdNotMet',
  args: [0n, shortNameToBytes32('f1'), 0, parseWad('0.9'), 716468590831918505n, 0n, 2n],
});

it('words a failing rule numbered from 1, with values printed by the one rule', () => {
  const error = decodeCharterError(thresholdNotMet)!;
  expect(error.name).toBe('PolicyRegistryThresholdNotMet');
  expect(failingRuleIndex(error)).toBe(0);
  expect(error.message).toBe(
    'Rule 1 is not met: f1 must be at least 0.9; the best result short of it is 0.7165, and 0 of the 2 evaluators required meet it.',
  );
});

it('names suites when the reader knows them', () => {
  const suiteId = `0x${'12'.repeat(32)}` as const;
  const data = encodeErrorResult({
    abi: charterErrorsAbi,
    errorName: 'PolicyRegistryEvidenceMissing',
    args: [2n, suiteId, 1n, 2n],
  });
  expect(describeRevertData(data, { suiteName: () => 'spam-detection' })).toBe(
    'Rule 3 lacks evidence: 2 evaluators must have a countable result for suite spam-detection, and 1 do.',
  );
});

it('has words for every error the contracts declare', () => {
  const generic = /^\w+\(.*\)$/;
  type Input = { type: string; name?: string; components?: readonly Input[] };
  const sample = (input: Input): unknown =>
    input.type === 'address'
      ? `0x${'11'.repeat(20)}`
      : input.type === 'bytes32'
        ? `0x${'22'.repeat(32)}`
        : input.type === 'string'
          ? 'x'
          : input.type === 'tuple'
            ? Object.fromEntries(input.components!.map((c) => [c.name, sample(c)]))
            : /^uint(8|16|32|48)$/.test(input.type)
              ? 1
              : 1n;
  for (const item of charterErrorsAbi) {
    const args = item.inputs.map((input) => sample(input as Input));
    const data = encodeErrorResult({ abi: [item], errorName: item.name, args } as never);
    const described = decodeCharterError(data);
    expect(described?.name).toBe(item.name);
    expect(described?.message, item.name).not.toMatch(generic);
  }
});

it('words the hardening errors with the values that explain them', () => {
  const familyId = `0x${'ab'.repeat(32)}` as const;
  const describe = (errorName: string, args: readonly unknown[]) =>
    describeRevertData(encodeErrorResult({ abi: charterErrorsAbi, errorName, args } as never), {
      familyName: (id) => (id === familyId ? 'mail-guard' : undefined),
    });
  expect(
    describe('ModelRegistryPolicyMismatch', [
      familyId,
      shortNameToBytes32('mail-safety'),
      shortNameToBytes32('lax-test'),
    ]),
  ).toBe(
    'Family mail-guard is governed by policy mail-safety, not by policy lax-test, which the approval names.',
  );
  expect(
    describe('ModelRegistryCurrentVersionChanged', [familyId, `0x${'0'.repeat(64)}`, familyId]),
  ).toBe(
    'The current version of family mail-guard changed after the proposal: the approval expects none, and it is 0xabab…abab now.',
  );
  expect(
    describe('ModelRegistryPolicyVersionChanged', [shortNameToBytes32('mail-safety'), 2n, 3n]),
  ).toBe(
    'Policy mail-safety changed after the vote: the approval was voted under version 2, and version 3 is active now.',
  );
  expect(describe('ModelRegistryApprovalOutsideWindow', [1_800_000_000n, 1_802_592_000n])).toBe(
    'The approval may execute only from 2027-01-15T08:00:00.000Z until 2027-02-14T08:00:00.000Z, and it is outside that window now.',
  );
  expect(describe('CharterGovernorGuardianChangeNotAlone', [1n])).toMatch(
    /^Action 2 changes the guardian or its term, so the proposal may do nothing else/,
  );
  expect(describe('EvidenceRegistryNonceJumpTooLarge', [3n, 2n ** 40n, 2n ** 32n - 1n])).toBe(
    'The nonce moves forward by at most 4,294,967,295 at a time: 3 to 1099511627776 is further.',
  );
  expect(
    describe('ModelRegistryInvalidTransition', [familyId, modelStatuses.indexOf('revoked'), 5]),
  ).toBe('Model 0xabab…abab is revoked and cannot become suspended.');
});

it('words the evidence game’s refusals with the values that explain them', () => {
  const suiteId = `0x${'12'.repeat(32)}` as const;
  const evaluator = `0x${'ab'.repeat(20)}` as const;
  const describe = (errorName: string, args: readonly unknown[]) =>
    describeRevertData(encodeErrorResult({ abi: charterErrorsAbi, errorName, args } as never), {
      suiteName: () => 'spam-detection',
    });
  expect(
    describe('PolicyRegistryEvidenceInChallengeWindow', [0n, suiteId, evaluator, 1_800_000_000n]),
  ).toBe(
    'Rule 1: the result of 0xABaB…ABaB for suite spam-detection is still in its challenge window and counts from 2027-01-15T08:00:00.000Z, if nobody disputes it by then.',
  );
  expect(
    describe('PolicyRegistryEvaluatorUnderbonded', [
      1n,
      suiteId,
      evaluator,
      parseWad('0.5'),
      parseWad('1'),
    ]),
  ).toBe(
    'Rule 2: the result of 0xABaB…ABaB for suite spam-detection does not count: its evaluator has bonded 0.5 ETH, below the 1 ETH required.',
  );
  expect(describe('EvidenceRegistryWrongDisputeBond', [0n, parseWad('0.1')])).toBe(
    'A dispute must carry exactly 0.1 ETH as its bond, not 0 ETH.',
  );
  expect(describe('EvidenceRegistryInvalidSampleProof', [suiteId, 'spam-0042'])).toBe(
    'The proof of sample "spam-0042" does not match the result\'s samples root: the sample is not committed as given.',
  );
  expect(describe('EvidenceRegistryDisputesOpen', [evaluator, 1n])).toBe(
    '0xABaB…ABaB has 1 open dispute against it: its stake stays until they are resolved.',
  );
  expect(
    describe('EvidenceRegistryInvalidGameParameters', [
      {
        challengePeriod: 3 * 86_400,
        minBond: parseWad('1'),
        disputeBond: parseWad('0.1'),
        unbondingDelay: 86_400,
        resolutionTimeout: 7 * 86_400,
        disputerShareBps: 5000,
      },
    ]),
  ).toMatch(/unbonding delay \(1 d\) longer than the challenge period/);
});

it('names the reason of each policy error, in the registry’s precedence', () => {
  expect(policyFailureReasonOf.PolicyRegistryEvidenceInChallengeWindow).toBe('in-window');
  expect(policyFailureReasonOf.PolicyRegistryEvaluatorUnderbonded).toBe('underbonded');
  expect(policyFailureReasons.slice(0, 6)).toEqual([
    'threshold',
    'too-old',
    'in-window',
    'disputed',
    'underbonded',
    'missing',
  ]);
});

it('says why evidence falls short when a family has no policy', () => {
  expect(policyFailureReasonOf.ModelRegistryNoFamilyPolicy).toBe('no-family-policy');
});

it('says when revert data is empty or unknown', () => {
  expect(describeRevertData('0x')).toBe('The transaction reverted without a reason.');
  expect(describeRevertData('0xdeadbeef')).toMatch(/unknown data 0xdeadbeef/);
});
