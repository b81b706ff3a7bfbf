import { describe, expect, it } from 'vitest';

import { BadBallot } from '../errors';
import { parseBallot } from './parseBallot';

const signature = `0x${'ab'.repeat(65)}`;
const vote = {
  kind: 'vote',
  proposalId: '123',
  support: 1,
  voter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  reason: 'why',
  params: '0x',
  signature,
};
const delegation = {
  kind: 'delegation',
  delegator: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  delegatee: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  nonce: '0',
  expiry: '1700000000',
  signature,
};

const parameterOf = (body: unknown) => {
  try {
    parseBallot(body);
  } catch (error) {
    if (error instanceof BadBallot) return error.details.parameter;
    throw error;
  }
  return undefined;
};

describe('parseBallot', () => {
  it('reads a vote and a delegation, addresses lowercased, numbers as bigint', () => {
    expect(parseBallot(vote)).toEqual({
      ...vote,
      proposalId: 123n,
      voter: vote.voter.toLowerCase(),
    });
    expect(parseBallot(delegation)).toMatchObject({ nonce: 0n, expiry: 1700000000n });
  });

  it('names the first bad field', () => {
    expect(parameterOf(null)).toBe('body');
    expect(parameterOf({ ...vote, kind: 'transfer' })).toBe('kind');
    expect(parameterOf({ ...vote, support: 3 })).toBe('support');
    expect(parameterOf({ ...vote, proposalId: 123 })).toBe('proposalId');
    expect(parameterOf({ ...vote, proposalId: (2n ** 256n).toString() })).toBe('proposalId');
    expect(parameterOf({ ...vote, voter: '0x1234' })).toBe('voter');
    expect(parameterOf({ ...vote, reason: 'x'.repeat(10_001) })).toBe('reason');
    expect(parameterOf({ ...vote, params: '0xabc' })).toBe('params');
    expect(parameterOf({ ...vote, signature: '0x1234' })).toBe('signature');
    expect(parameterOf({ ...delegation, expiry: '-1' })).toBe('expiry');
    expect(parameterOf({ ...delegation, delegatee: 'bob' })).toBe('delegatee');
  });
});
