import { index, text, timestamp } from 'drizzle-orm/pg-core';

import { notifierSchema } from './notifierSchema';

/** Sign-in nonces: handed out by GET /auth/nonce, each used at most once, before it expires. */
export const nonces = notifierSchema.table('nonces', {
  nonce: text('nonce').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Bearer sessions: only the token's SHA-256 is stored, so a copy of the database signs in nobody. */
export const sessions = notifierSchema.table(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    address: text('address').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_address_idx').on(t.address)],
);
