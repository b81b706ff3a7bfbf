import { charterErrorsAbi } from '@charter/contracts/abis';
import { parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { encodeErrorResult, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { describeError, revertData } from './errors';

const encode = (errorName: string, args: unknown[]) =>
  encodeErrorResult({ abi: charterErrorsAbi, errorName, args } as never) as Hex;

describe('describeError', () => {
  it('finds revert data deep in an error chain and says it through the protocol’s catalogue', () => {
    const data = encode('GovernorAlreadyCastVote', [`0x${'ab'.repeat(20)}`]);
    const error = { shortMessage: 'Execution reverted', cause: { cause: { data } } };
    expect(revertData(error)).toBe(data);
    expect(describeError(error)).toBe('0xABaB…ABaB has already voted on this proposal.');
  });

  it('numbers a failing rule from 1 and prints its values at metric precision', () => {
    const data = encode('PolicyRegistryThresholdNotMet', [
      0n,
      shortNameToBytes32('f1'),
      0,
      parseWad('0.9'),
      716468590831918505n,
      0n,
      2n,
    ]);
    const error = { cause: { data: { originalError: { data } } } };
    expect(describeError(error)).toMatch(
      /^Rule 1 is not met: f1 must be at least 0\.9; .* 0\.7165,/,
    );
  });

  it('recognises a rejection in the wallet', () => {
    expect(describeError({ cause: { code: 4001, message: 'User rejected' } })).toBe(
      'You rejected the request in your wallet.',
    );
  });

  it('falls back to the error’s own words', () => {
    expect(describeError({ shortMessage: 'Network down' })).toBe('Network down');
    expect(describeError(new Error('boom'))).toBe('boom');
  });
});
