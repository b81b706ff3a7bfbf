import { recoverMessageAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { parseSiweMessage, validateSiweMessage } from 'viem/siwe';
import { describe, expect, it } from 'vitest';

import { signInMessage } from './siwe';

// anvil's first account: public knowledge.
const account = privateKeyToAccount(
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
);

describe('signInMessage', () => {
  const issuedAt = new Date('2026-11-30T20:00:00.000Z');
  const message = signInMessage({
    address: account.address,
    chainId: 31337,
    nonce: 'k3Fz9qL2mN8pR4tX',
    page: { host: '127.0.0.1:5173', origin: 'http://127.0.0.1:5173' },
    issuedAt,
  });

  it('is an EIP-4361 message for this page’s host, the chain and the notifier’s nonce', () => {
    const parsed = parseSiweMessage(message);
    expect(parsed).toMatchObject({
      address: account.address,
      chainId: 31337,
      domain: '127.0.0.1:5173',
      uri: 'http://127.0.0.1:5173',
      nonce: 'k3Fz9qL2mN8pR4tX',
      version: '1',
    });
    expect(parsed.issuedAt).toEqual(issuedAt);
    // An expiration time would end the notifier's session with it.
    expect(parsed.expirationTime).toBeUndefined();
    expect(
      message.startsWith('127.0.0.1:5173 wants you to sign in with your Ethereum account:\n'),
    ).toBe(true);
  });

  it('validates for its domain and nonce only', () => {
    const parsed = parseSiweMessage(message);
    const at = (ms: number) => new Date(issuedAt.getTime() + ms);
    const valid = (domain: string, nonce: string, time: Date) =>
      validateSiweMessage({ message: parsed, address: account.address, domain, nonce, time });
    expect(valid('127.0.0.1:5173', 'k3Fz9qL2mN8pR4tX', at(60_000))).toBe(true);
    expect(valid('evil.example', 'k3Fz9qL2mN8pR4tX', at(60_000))).toBe(false);
    expect(valid('127.0.0.1:5173', 'another1nonce', at(60_000))).toBe(false);
    expect(valid('localhost:5173', 'k3Fz9qL2mN8pR4tX', at(60_000))).toBe(false);
  });

  it('recovers to the signer when signed as a personal message', async () => {
    const signature = await account.signMessage({ message });
    expect(await recoverMessageAddress({ message, signature })).toBe(account.address);
  });

  it('refuses a nonce the standard does not allow, in words', () => {
    expect(() =>
      signInMessage({
        address: account.address,
        chainId: 31337,
        nonce: 'short',
        page: { host: '127.0.0.1:5173', origin: 'http://127.0.0.1:5173' },
      }),
    ).toThrow(/nonce/i);
  });
});
