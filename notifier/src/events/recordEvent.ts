import { inArray } from 'drizzle-orm';

import type { Database } from '../database/openDatabase';
import { deliveries, events, subscriptions } from '../database/schema';
import { randomId } from '../ids';
import { subscriptionWants, type EventBody, type EventType } from './eventTypes';

export interface NewEvent {
  id: string;
  type: EventType;
  chainId: number;
  block: EventBody['block'];
  tx: string | null;
  logIndex?: number;
  family?: string | null;
  actor?: string | null;
  data: Record<string, unknown>;
}

/**
 * Stores an event and queues a delivery to each subscription that wants it, in the caller's transaction
 * (so a batch of blocks lands whole or not at all). `only` sends it to those subscriptions alone (a test, a
 * retraction). An id already stored is left as it was: recording is idempotent.
 */
export async function recordEvent(
  tx: Database,
  event: NewEvent,
  options: { now: Date; only?: string[] } = { now: new Date() },
): Promise<EventBody | undefined> {
  const body: EventBody = {
    id: event.id,
    type: event.type,
    chainId: event.chainId,
    block: event.block,
    tx: event.tx,
    data: event.data,
    createdAt: options.now.toISOString(),
  };
  const inserted = await tx
    .insert(events)
    .values({
      id: event.id,
      type: event.type,
      blockNumber: event.block?.number ?? null,
      blockHash: event.block?.hash ?? null,
      family: event.family ?? null,
      actor: event.actor ?? null,
      logIndex: event.logIndex ?? null,
      data: event.data,
      body: JSON.stringify(body),
      createdAt: options.now,
    })
    .onConflictDoNothing()
    .returning({ id: events.id });
  if (inserted.length === 0) return undefined;
  const candidates = options.only
    ? options.only.length === 0
      ? []
      : await tx.select().from(subscriptions).where(inArray(subscriptions.id, options.only))
    : await tx.select().from(subscriptions);
  const targets = options.only
    ? candidates
    : candidates.filter((subscription) =>
        subscriptionWants(subscription, {
          type: event.type,
          actor: event.actor ?? null,
          family: event.family ?? null,
        }),
      );
  if (targets.length > 0) {
    await tx.insert(deliveries).values(
      targets.map((subscription) => ({
        id: randomId('dlv'),
        subscriptionId: subscription.id,
        eventId: event.id,
        type: event.type,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: options.now,
        createdAt: options.now,
      })),
    );
  }
  return body;
}
