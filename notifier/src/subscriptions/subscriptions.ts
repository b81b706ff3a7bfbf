import { randomBytes } from 'node:crypto';

import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { isAddress } from 'viem';

import type { Database } from '../database/openDatabase';
import { deliveries, deliveryAttempts, subscriptions } from '../database/schema';
import { eventTypes, type EventType } from '../events/eventTypes';
import { recordEvent } from '../events/recordEvent';
import { derivedId, randomId } from '../ids';
import { PrivateWebhook, publicAddressOf, type ResolveHost } from '../delivery/webhookAddress';

/** A request the API cannot carry out as asked: a 400 that names the field and says why. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** A thing that does not exist (or is someone else's): a 404. */
export class NotFound extends Error {}

/** A limit reached: a 409 that names the limit (`maxSubscriptions`, `maxSubscriptionsPerHost`). */
export class Conflict extends Error {
  constructor(
    message: string,
    readonly limit?: string,
  ) {
    super(message);
  }
}

/** What `createSubscription` enforces. */
export interface SubscriptionLimits {
  /** Subscriptions one address may hold. */
  maxSubscriptions: number;
  /** Subscriptions, all subscribers together, whose webhook is on one host name. */
  maxSubscriptionsPerHost: number;
  /** When false, URLs that are or resolve to a private address are refused (400 naming `url`). */
  allowPrivateWebhooks: boolean;
  resolveHost: ResolveHost;
}

export interface Subscription {
  id: string;
  owner: string;
  url: string;
  events: EventType[];
  delegates: string[];
  families: string[];
  createdAt: string;
}

export interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed' | 'retrying';
  attempts: number;
  lastStatusCode?: number;
  lastError?: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
  createdAt: string;
  /** Each attempt: when, the receiver's status code or the error, how long it took. */
  attemptLog: {
    attempt: number;
    at: string;
    statusCode?: number;
    error?: string;
    durationMs: number;
  }[];
}

const familyPattern = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;

/** Checks a subscription request's body; throws `BadRequest` naming the first field that is wrong. */
export function parseSubscriptionRequest(body: unknown): {
  url: string;
  events: EventType[];
  delegates: string[];
  families: string[];
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('body', 'must be a JSON object { url, events, delegates?, families? }');
  }
  const { url, events, delegates = [], families = [] } = body as Record<string, unknown>;
  if (typeof url !== 'string' || url.length === 0) {
    throw new BadRequest('url', 'must be the webhook URL (http or https)');
  }
  if (url.length > 2048) throw new BadRequest('url', 'must be at most 2048 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequest('url', `is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new BadRequest(
      'url',
      `must be http or https, not ${parsed.protocol.replace(/:$/, '')}: webhooks are HTTP POSTs`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new BadRequest('url', 'must not carry a user name or password');
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new BadRequest('events', `must be a non-empty list of: ${eventTypes.join(', ')}`);
  }
  for (const type of events) {
    if (!eventTypes.includes(type as EventType)) {
      throw new BadRequest('events', `${String(type)} is not one of ${eventTypes.join(', ')}`);
    }
  }
  if (!Array.isArray(delegates) || delegates.length > 100) {
    throw new BadRequest('delegates', 'must be a list of at most 100 addresses');
  }
  for (const delegate of delegates) {
    if (typeof delegate !== 'string' || !isAddress(delegate, { strict: false })) {
      throw new BadRequest('delegates', `${String(delegate)} is not an address`);
    }
  }
  if (!Array.isArray(families) || families.length > 100) {
    throw new BadRequest('families', 'must be a list of at most 100 family names');
  }
  for (const family of families) {
    if (typeof family !== 'string' || !familyPattern.test(family)) {
      throw new BadRequest('families', `${String(family)} is not a model family name`);
    }
  }
  return {
    url: parsed.href,
    events: [...new Set(events as EventType[])],
    delegates: [...new Set((delegates as string[]).map((d) => d.toLowerCase()))],
    families: [...new Set(families as string[])],
  };
}

const toSubscription = (row: typeof subscriptions.$inferSelect): Subscription => ({
  id: row.id,
  owner: row.owner,
  url: row.url,
  events: row.events as EventType[],
  delegates: row.delegates,
  families: row.families,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Creates a subscription with a fresh secret (32 random bytes, hex), returned only here. Refuses a URL that
 * reaches a private address (unless allowed), and a subscription past either cap.
 */
export async function createSubscription(
  db: Database,
  owner: string,
  request: ReturnType<typeof parseSubscriptionRequest>,
  limits: SubscriptionLimits,
): Promise<{ subscription: Subscription; secret: string }> {
  const url = new URL(request.url);
  if (!limits.allowPrivateWebhooks) {
    try {
      await publicAddressOf(url, limits.resolveHost);
    } catch (error) {
      if (error instanceof PrivateWebhook) throw new BadRequest('url', error.message);
      throw error;
    }
  }
  const [{ held }] = (await db
    .select({ held: count() })
    .from(subscriptions)
    .where(eq(subscriptions.owner, owner))) as [{ held: number }];
  if (held >= limits.maxSubscriptions) {
    throw new Conflict(
      `an address may hold ${limits.maxSubscriptions} subscriptions (maxSubscriptions); delete one first`,
      'maxSubscriptions',
    );
  }
  // Hrefs are normalized (lower-case host, a path), so these prefixes match the host whatever the port.
  const prefixes = ['http', 'https'].flatMap((scheme) =>
    ['/', ':'].map((next) => `${scheme}://${url.hostname}${next}`),
  );
  const [{ onHost }] = (await db
    .select({ onHost: count() })
    .from(subscriptions)
    .where(or(...prefixes.map((prefix) => sql`starts_with(${subscriptions.url}, ${prefix})`)))) as [
    { onHost: number },
  ];
  if (onHost >= limits.maxSubscriptionsPerHost) {
    throw new Conflict(
      `${url.hostname} already receives ${limits.maxSubscriptionsPerHost} subscriptions' webhooks, the most one host may (maxSubscriptionsPerHost)`,
      'maxSubscriptionsPerHost',
    );
  }
  const secret = randomBytes(32).toString('hex');
  const [row] = await db
    .insert(subscriptions)
    .values({ id: randomId('sub'), owner, ...request, secret, createdAt: new Date() })
    .returning();
  return { subscription: toSubscription(row!), secret };
}

/** The owner's subscriptions, newest first. */
export async function listSubscriptions(db: Database, owner: string): Promise<Subscription[]> {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.owner, owner))
    .orderBy(desc(subscriptions.createdAt));
  return rows.map(toSubscription);
}

/** The subscription if `owner` holds it; `NotFound` otherwise (someone else's is not revealed). */
export async function getOwnSubscription(db: Database, owner: string, id: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.owner, owner)));
  if (!row) throw new NotFound(`no subscription ${id}`);
  return row;
}

/** Deletes the owner's subscription and its delivery log; pending deliveries are dropped. */
export async function deleteSubscription(db: Database, owner: string, id: string): Promise<void> {
  await getOwnSubscription(db, owner, id);
  await db.delete(subscriptions).where(eq(subscriptions.id, id));
}

/** Queues a `test` event to the owner's subscription; returns the event's id. */
export async function queueTestEvent(
  db: Database,
  owner: string,
  id: string,
  chainId: number,
): Promise<string> {
  await getOwnSubscription(db, owner, id);
  const now = new Date();
  const eventId = derivedId('evt', 'test', id, now.toISOString(), randomId('n'));
  await db.transaction((tx) =>
    recordEvent(
      tx,
      {
        id: eventId,
        type: 'test',
        chainId,
        block: null,
        tx: null,
        data: { subscriptionId: id, message: 'A test event from the Charter notifier' },
      },
      { now, only: [id] },
    ),
  );
  return eventId;
}

/** The subscription's deliveries, newest first, each with its attempts. */
export async function listDeliveries(
  db: Database,
  owner: string,
  id: string,
  limit: number,
): Promise<Delivery[]> {
  await getOwnSubscription(db, owner, id);
  const rows = await db
    .select()
    .from(deliveries)
    .where(eq(deliveries.subscriptionId, id))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(limit);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(deliveryAttempts)
          .where(
            inArray(
              deliveryAttempts.deliveryId,
              rows.map((row) => row.id),
            ),
          )
          .orderBy(asc(deliveryAttempts.attempt));
  return rows.map((row) => ({
    id: row.id,
    subscriptionId: row.subscriptionId,
    eventId: row.eventId,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    ...(row.lastStatusCode !== null && { lastStatusCode: row.lastStatusCode }),
    ...(row.lastError !== null && { lastError: row.lastError }),
    ...(row.nextAttemptAt !== null &&
      row.status !== 'delivered' &&
      row.status !== 'failed' && { nextAttemptAt: row.nextAttemptAt.toISOString() }),
    ...(row.deliveredAt !== null && { deliveredAt: row.deliveredAt.toISOString() }),
    createdAt: row.createdAt.toISOString(),
    attemptLog: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        at: attempt.at.toISOString(),
        ...(attempt.statusCode !== null && { statusCode: attempt.statusCode }),
        ...(attempt.error !== null && { error: attempt.error }),
        durationMs: attempt.durationMs,
      })),
  }));
}
