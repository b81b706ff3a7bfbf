import { charterErrorsAbi } from '@charter/contracts/abis';
import { encodeErrorResult, stringToHex, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { describeError, describeRevert, revertData } from './errors';

const wad = (v: string) => BigInt(Math.round(Number(v) * 1e4)) * 10n ** 14n;
const encode = (errorName: string, args: unknown[]) =>
  encodeErrorResult({ abi: charterErrorsAbi, errorName, args } as never) as Hex;

describe('describeRevert', () => {
  it('says which policy rule fails, with its values', () => {
    const data = encode('PolicyRegistryThresholdNotMet', [
      1n,
      stringToHex('false_positive_rate', { size: 32 }),
      1,
      wad('0.15'),
      wad('0.4444'),
      0n,
      2n,
    ]);
    expect(describeRevert(data)).toBe(
      'Rule 2 is not met: false_positive_rate must be at most 0.15, the best result short of it is 0.4444, and 0 of the 2 evaluators required meet it.',
    );
  });

  it('names the proposal states a governor call needed', () => {
    // Succeeded (4) or queued (5) expected; the proposal is active (1).
    const expected = `0x${((1n << 4n) | (1n << 5n)).toString(16).padStart(64, '0')}` as Hex;
    expect(describeRevert(encode('GovernorUnexpectedProposalState', [7n, 1, expected]))).toBe(
      'The proposal is active; this needs it to be succeeded or queued.',
    );
  });

  it('falls back to the error and its values', () => {
    expect(describeRevert(encode('InvalidShortString', []))).toBe('InvalidShortString()');
    expect(describeRevert('0xdeadbeef')).toMatch(/unknown data/);
  });
});

describe('describeError', () => {
  it('finds revert data deep in an error chain', () => {
    const data = encode('GovernorAlreadyCastVote', [`0x${'ab'.repeat(20)}`]);
    const error = { shortMessage: 'Execution reverted', cause: { cause: { data } } };
    expect(revertData(error)).toBe(data);
    expect(describeError(error)).toBe('0xABaB…ABaB has already voted on this proposal.');
  });

  it('recognises a rejection in the wallet', () => {
    expect(describeError({ cause: { code: 4001, message: 'User rejected' } })).toBe(
      'You rejected the request in your wallet.',
    );
  });
});
