import { describe, expect, it } from 'vitest';

import { eip712DomainOf } from './signedBallots';

describe('eip712DomainOf', () => {
  const reported = {
    name: 'Charter Governor',
    version: '1',
    chainId: 31337,
    verifyingContract: `0x${'01'.repeat(20)}`,
    salt: `0x${'00'.repeat(32)}`,
  } as const;

  it("keeps only the fields the contract's bitmap names: OpenZeppelin's 0x0f, no zero salt", () => {
    expect(eip712DomainOf({ domain: reported, fields: '0x0f' })).toEqual({
      name: 'Charter Governor',
      version: '1',
      chainId: 31337,
      verifyingContract: reported.verifyingContract,
    });
  });

  it('keeps a salt when the bitmap names one, and leaves out what it does not', () => {
    expect(eip712DomainOf({ domain: reported, fields: '0x1d' })).toEqual({
      name: 'Charter Governor',
      chainId: 31337,
      verifyingContract: reported.verifyingContract,
      salt: reported.salt,
    });
  });
});
