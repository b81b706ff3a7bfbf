import { encodeErrorResult } from 'viem';
import { expect, it } from 'vitest';

import { charterErrorsAbi } from '../generated/abis';
import { decodeCharterError, describeRevertData, failingRuleIndex } from './errors';
import { parseWad } from './fixedPoint';
import { shortNameToBytes32 } from './shortName';

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
  for (const item of charterErrorsAbi) {
    const args = item.inputs.map((input) =>
      input.type === 'address'
        ? `0x${'11'.repeat(20)}`
        : input.type === 'bytes32'
          ? `0x${'22'.repeat(32)}`
          : input.type === 'string'
            ? 'x'
            : 1n,
    );
    const data = encodeErrorResult({ abi: [item], errorName: item.name, args } as never);
    const described = decodeCharterError(data);
    expect(described?.name).toBe(item.name);
    expect(described?.message, item.name).not.toMatch(generic);
  }
});

it('says when revert data is empty or unknown', () => {
  expect(describeRevertData('0x')).toBe('The transaction reverted without a reason.');
  expect(describeRevertData('0xdeadbeef')).toMatch(/unknown data 0xdeadbeef/);
});
