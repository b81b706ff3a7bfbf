import { randomBytes } from 'node:crypto';

import { and, count, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { verifyMessage, type Hex } from 'viem';
import { generateSiweNonce, parseSiweMessage, validateSiweMessage } from 'viem/siwe';

import type { Database } from '../database/openDatabase';
import { nonces, sessions } from '../database/schema';
import { sha256Hex } from '../ids';

/** A sign-in refused: `code` says which rule failed, in the API's `error` field. */
export class SignInRefused extends Error {
  constructor(
    readonly code:
      'bad_request' | 'wrong_domain' | 'wrong_chain' | 'expired' | 'bad_nonce' | 'bad_signature',
    message: string,
  ) {
    super(message);
  }
}

/** Unused nonces at most: beyond, GET /auth/nonce answers 503 rather than fill the table. */
export const maxOutstandingNonces = 10_000;

/** Too many nonces handed out and not used yet: a 503. */
export class TooManySignIns extends Error {}

export interface AuthOptions {
  db: Database;
  /** The host (with port) that messages must name: the web app's, from --public-url. */
  domain: string;
  chainId: number;
  nonceTtl: number;
  sessionTtl: number;
}

export interface Session {
  token: string;
  address: string;
  expiresAt: string;
}

/** Sign-In with Ethereum (EIP-4361): single-use nonces, then bearer sessions stored as hashes. */
export function createAuth({ db, domain, chainId, nonceTtl, sessionTtl }: AuthOptions) {
  return {
    /** A fresh nonce for a sign-in message, usable once within `nonceTtl` seconds. */
    async issueNonce(now = new Date()): Promise<string> {
      const nonce = generateSiweNonce();
      // Old nonces go as new ones come, so the table stays as small as the sign-ins in flight.
      await db
        .delete(nonces)
        .where(
          or(lt(nonces.expiresAt, now), lt(nonces.usedAt, new Date(now.getTime() - 3600_000))),
        );
      const [{ outstanding }] = (await db
        .select({ outstanding: count() })
        .from(nonces)
        .where(isNull(nonces.usedAt))) as [{ outstanding: number }];
      if (outstanding >= maxOutstandingNonces) {
        throw new TooManySignIns('too many sign-ins are in progress; try again in a few minutes');
      }
      await db
        .insert(nonces)
        .values({ nonce, expiresAt: new Date(now.getTime() + nonceTtl * 1000) });
      return nonce;
    },

    /**
     * Checks an EIP-4361 message and its signature: the domain is the web app's, the chain the
     * deployment's, the message within its validity, the nonce ours, unused and unexpired (and used up
     * by this call), the signature the message's address's. Returns a new session.
     */
    async signIn(message: unknown, signature: unknown, now = new Date()): Promise<Session> {
      if (typeof message !== 'string' || message.length === 0 || message.length > 4096) {
        throw new SignInRefused('bad_request', 'message must be an EIP-4361 sign-in message');
      }
      if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]+$/.test(signature)) {
        throw new SignInRefused('bad_request', 'signature must be 0x-prefixed hex');
      }
      const parsed = parseSiweMessage(message);
      if (!parsed.address || !parsed.domain || !parsed.nonce || !parsed.uri || !parsed.version) {
        throw new SignInRefused(
          'bad_request',
          'message is not an EIP-4361 sign-in message (it needs a domain, address, URI, version and nonce)',
        );
      }
      if (parsed.domain !== domain) {
        throw new SignInRefused(
          'wrong_domain',
          `the message signs in to ${parsed.domain}, not to ${domain}`,
        );
      }
      if (parsed.chainId !== chainId) {
        throw new SignInRefused(
          'wrong_chain',
          `the message is for chain ${parsed.chainId}, this DAO is on chain ${chainId}`,
        );
      }
      if (parsed.expirationTime && parsed.expirationTime <= now) {
        throw new SignInRefused('expired', 'the message has expired');
      }
      if (parsed.notBefore && parsed.notBefore > now) {
        throw new SignInRefused('expired', 'the message is not valid yet (notBefore)');
      }
      if (!validateSiweMessage({ message: parsed, domain, time: now })) {
        throw new SignInRefused('bad_request', 'the message is not a valid EIP-4361 message');
      }
      const valid = await verifyMessage({
        address: parsed.address,
        message,
        signature: signature as Hex,
      }).catch(() => false);
      if (!valid) {
        throw new SignInRefused(
          'bad_signature',
          `the signature is not ${parsed.address.toLowerCase()}'s signature of this message`,
        );
      }
      // Used up only by a valid sign-in, atomically: of two concurrent uses, one wins.
      const used = await db
        .update(nonces)
        .set({ usedAt: now })
        .where(
          and(eq(nonces.nonce, parsed.nonce), isNull(nonces.usedAt), gt(nonces.expiresAt, now)),
        )
        .returning({ nonce: nonces.nonce });
      if (used.length === 0) {
        const [known] = await db.select().from(nonces).where(eq(nonces.nonce, parsed.nonce));
        throw new SignInRefused(
          known?.usedAt ? 'bad_nonce' : known ? 'expired' : 'bad_nonce',
          known?.usedAt
            ? 'the nonce was already used: ask for a new one (GET /auth/nonce)'
            : known
              ? 'the nonce has expired: ask for a new one (GET /auth/nonce)'
              : 'the nonce was not issued by this notifier: ask for one (GET /auth/nonce)',
        );
      }
      const token = randomBytes(32).toString('base64url');
      let expires = now.getTime() + sessionTtl * 1000;
      if (parsed.expirationTime) expires = Math.min(expires, parsed.expirationTime.getTime());
      const address = parsed.address.toLowerCase();
      await db.delete(sessions).where(lt(sessions.expiresAt, now));
      await db.insert(sessions).values({
        tokenHash: sha256Hex(token),
        address,
        createdAt: now,
        expiresAt: new Date(expires),
      });
      return { token, address, expiresAt: new Date(expires).toISOString() };
    },

    /** The address a bearer token signs in as, or undefined when it is unknown or expired. */
    async addressOf(authorization: string | undefined, now = new Date()) {
      const match = /^Bearer\s+([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
      if (!match) return undefined;
      const [session] = await db
        .select({ address: sessions.address })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, sha256Hex(match[1]!)), gt(sessions.expiresAt, now)));
      return session?.address;
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
