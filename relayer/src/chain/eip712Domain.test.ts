import { describe, expect, it } from 'vitest';

import { eip712DomainOf } from './eip712Domain';

describe('eip712DomainOf', () => {
  it('keeps only the fields the ERC-5267 bitmap marks: no zero salt for OpenZeppelin 0x0f', () => {
    const domain = {
      name: 'Charter',
      version: '1',
      chainId: 31337,
      verifyingContract: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      salt: `0x${'00'.repeat(32)}`,
    } as const;
    expect(eip712DomainOf({ fields: '0x0f', domain, extensions: [] })).toEqual({
      name: 'Charter',
      version: '1',
      chainId: 31337,
      verifyingContract: domain.verifyingContract,
    });
    expect(eip712DomainOf({ fields: '0x1f', domain, extensions: [] })).toHaveProperty('salt');
  });
});
