import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';

import { testPublicUrl } from './testChain';

/** An EIP-4361 message as the web app would build it; `overrides` changes any field. */
export async function siweMessage(
  notifierUrl: string,
  key: Hex,
  chainId: number,
  overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {},
): Promise<string> {
  const { nonce } = (await (await fetch(`${notifierUrl}/auth/nonce`)).json()) as { nonce: string };
  return createSiweMessage({
    domain: new URL(testPublicUrl).host,
    address: privateKeyToAccount(key).address,
    statement: 'Sign in to manage Charter notifications.',
    uri: testPublicUrl,
    version: '1',
    chainId,
    nonce,
    issuedAt: new Date(),
    ...overrides,
  });
}

/** POST /auth/sign-in with `message` signed by `key`; returns the response. */
export async function postSignIn(notifierUrl: string, message: string, signature: Hex) {
  return fetch(`${notifierUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message, signature }),
  });
}

/** Signs in as `key`'s address; returns a fetch bound to the bearer token. */
export async function signIn(notifierUrl: string, key: Hex, chainId: number) {
  const message = await siweMessage(notifierUrl, key, chainId);
  const signature = await privateKeyToAccount(key).signMessage({ message });
  const response = await postSignIn(notifierUrl, message, signature);
  if (response.status !== 200) throw new Error(`sign-in failed: ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return (path: string, init: RequestInit = {}) =>
    fetch(`${notifierUrl}${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
        Authorization: `Bearer ${token}`,
      },
    });
}
