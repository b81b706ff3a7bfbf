// The Sign-In with Ethereum (EIP-4361) message the notifier accepts: for this page's host (the notifier
// checks it against its --public-url), on the deployment's chain, with the nonce it just handed out.
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

/** How long the signed message itself may be presented to the notifier. */
export const MESSAGE_LIFETIME_MS = 10 * 60_000;

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
    expirationTime: new Date(issuedAt.getTime() + MESSAGE_LIFETIME_MS),
  });
}
