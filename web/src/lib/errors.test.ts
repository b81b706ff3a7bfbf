import { charterErrorsAbi } from '@charter/contracts/abis';
import { parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { encodeErrorResult, InsufficientFundsError, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { describeError, isInsufficientFunds, noGasWords, revertData } from './errors';

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

  it('says in plain words that the account cannot pay for gas, however the node or wallet put it', () => {
    const plain = 'This account does not have enough ETH to pay for gas.';
    const viem = { shortMessage: 'Transaction failed', cause: new InsufficientFundsError() };
    const anvil = { details: 'Insufficient funds for gas * price + value' };
    const metamask = { code: -32000, message: 'insufficient funds for gas * price + value' };
    for (const error of [viem, anvil, metamask]) {
      expect(isInsufficientFunds(error)).toBe(true);
      expect(describeError(error)).toBe(plain);
    }
    expect(isInsufficientFunds({ shortMessage: 'Network down' })).toBe(false);
    expect(isInsufficientFunds(undefined)).toBe(false);
  });

  it('points an account that cannot pay for gas to the button without gas, where there is one', () => {
    expect(noGasWords('Vote without gas')).toBe(
      'This account does not have enough ETH to pay for gas: use “Vote without gas” instead.',
    );
    expect(noGasWords(null)).toBe('This account does not have enough ETH to pay for gas.');
  });

  it('falls back to the error’s own words', () => {
    expect(describeError({ shortMessage: 'Network down' })).toBe('Network down');
    expect(describeError(new Error('boom'))).toBe('boom');
  });
});
