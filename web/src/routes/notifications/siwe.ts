// The Sign-In with Ethereum (EIP-4361) message the notifier accepts: for this page's host (the notifier
// checks it against its --public-url), on the deployment's chain, with the nonce it just handed out (used
// once, and only for a few minutes). No expiration time: the notifier would end the session with it.
import type { Address } from 'viem';
import { createSiweMessage } from 'viem/siwe';

export interface SignInRequest {
  address: Address;
  chainId: number;
  /** From the notifier's `GET /auth/nonce`. */
  nonce: string;
  /** Where the page is: `location`. */
  page: { host: string; origin: string };
  issuedAt?: Date;
}

export function signInMessage({
  address,
  chainId,
  nonce,
  page,
  issuedAt = new Date(),
}: SignInRequest): string {
  return createSiweMessage({
    address,
    chainId,
    domain: page.host,
    nonce,
    uri: page.origin,
    version: '1',
    statement:
      'Sign in to manage your Charter notifications (webhook subscriptions and their deliveries).',
    issuedAt,
  });
}
