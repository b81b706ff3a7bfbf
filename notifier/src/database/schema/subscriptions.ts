import { index, integer, jsonb, serial, text, timestamp } from 'drizzle-orm/pg-core';

import { events } from './events';
import { notifierSchema } from './notifierSchema';

/** A webhook an address subscribed, with the secret its deliveries are signed with. */
export const subscriptions = notifierSchema.table(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull(),
    /** Followed delegates (lowercase); empty: every voter. */
    delegates: jsonb('delegates').$type<string[]>().notNull(),
    /** Followed model families; empty: every family. */
    families: jsonb('families').$type<string[]>().notNull(),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('subscriptions_owner_idx').on(t.owner)],
);

/** One event to one subscription: pending until a 2xx, retried on the schedule, then failed. */
export const deliveries = notifierSchema.table(
  'deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    type: text('type').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed' | 'retrying'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
    index('deliveries_event_idx').on(t.eventId),
  ],
);

/** Every attempt of a delivery: when, how it ended, how long it took. */
export const deliveryAttempts = notifierSchema.table(
  'delivery_attempts',
  {
    id: serial('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('delivery_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);
