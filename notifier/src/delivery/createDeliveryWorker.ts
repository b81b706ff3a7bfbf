import { and, asc, eq, inArray, lte, notInArray, sql } from 'drizzle-orm';

import type { Database } from '../database/openDatabase';
import { deliveries, deliveryAttempts, events, subscriptions } from '../database/schema';
import type { Logger } from '@charter/indexer';
import { signatureHeader } from './signature';
import { postWebhook } from './postWebhook';
import { PrivateWebhook, publicAddressOf, type ResolveHost } from './webhookAddress';

export interface DeliveryWorkerOptions {
  db: Database;
  /** Waits between attempts (ms); after the last one the delivery has failed. */
  retrySchedule: number[];
  /** Milliseconds before an attempt is abandoned. */
  attemptTimeout: number;
  concurrency: number;
  /** When false, an attempt whose host resolves to a private address is not sent (a failed attempt). */
  allowPrivateWebhooks: boolean;
  /** Resolves a webhook's host once per attempt; the request goes to the addresses it gives. */
  resolveHost: ResolveHost;
  /** Whether a block is still on the canonical chain: checked before each attempt of a chain event. */
  isCanonical(blockNumber: number, blockHash: string): Promise<boolean>;
  logger: Logger;
  /** Milliseconds between looks for due deliveries when nothing wakes the worker (default 500). */
  tickMs?: number;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (after an event was recorded). */
  wake(): void;
  stop(): Promise<void>;
}

/** Body bytes read from a receiver's answer at most: only the status code matters. */
const maxAnswerBytes = 4096;

/** Why an attempt failed, in words for the delivery log. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof PrivateWebhook) return `not sent: ${error.message}`;
  const coded = error as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const cause = coded?.code ? coded : coded?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (cause?.code) return `${cause.code}: ${cause.message ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends due deliveries: each attempt a signed POST of the event's frozen body. 2xx is delivered; any other
 * answer, a timeout or a refused connection is a failed attempt, retried on the schedule. The state lives
 * in the database, so a restart picks up where the last process stopped (an attempt cut short by a crash
 * is made again: at least once).
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, retrySchedule, attemptTimeout, concurrency, isCanonical, logger } = options;
  const { allowPrivateWebhooks, resolveHost } = options;
  const tickMs = options.tickMs ?? 500;
  const inFlight = new Map<string, { subscriptionId: string; running: Promise<void> }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;
  let again = false;

  async function attempt(id: string): Promise<void> {
    const [row] = await db
      .select({
        delivery: deliveries,
        url: subscriptions.url,
        secret: subscriptions.secret,
        body: events.body,
        blockNumber: events.blockNumber,
        blockHash: events.blockHash,
        retractedAt: events.retractedAt,
      })
      .from(deliveries)
      .innerJoin(subscriptions, eq(subscriptions.id, deliveries.subscriptionId))
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .where(eq(deliveries.id, id));
    if (!row || !['pending', 'retrying'].includes(row.delivery.status)) return;
    if (row.retractedAt) {
      await db
        .update(deliveries)
        .set({
          status: 'failed',
          lastError: 'not sent: a reorg removed the event',
          nextAttemptAt: null,
        })
        .where(eq(deliveries.id, id));
      return;
    }
    if (row.blockNumber !== null && row.blockHash !== null) {
      // Never send an event whose block left the chain: the follower retracts it on its next poll.
      const canonical = await isCanonical(row.blockNumber, row.blockHash).catch(() => false);
      if (!canonical) {
        await db
          .update(deliveries)
          .set({ nextAttemptAt: new Date(Date.now() + 1000) })
          .where(eq(deliveries.id, id));
        return;
      }
    }
    // The attempt is counted before it is made: a reorg that retracts the event meanwhile then knows the
    // receiver may have it (and sends the retraction), and one cut short by a crash still counts.
    const [claimed] = await db
      .update(deliveries)
      .set({ attempts: sql`${deliveries.attempts} + 1` })
      .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['pending', 'retrying'])))
      .returning({ attempts: deliveries.attempts });
    if (!claimed) return;
    const number = claimed.attempts;
    const t = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      const signal = AbortSignal.timeout(attemptTimeout);
      const url = new URL(row.url);
      // Resolve once, check those addresses, and connect to them: a name that resolves elsewhere by the time
      // of the connection (DNS rebinding) cannot reach the inside.
      const addresses = await Promise.race([
        publicAddressOf(url, resolveHost, allowPrivateWebhooks),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
        ),
      ]);
      statusCode = await postWebhook(url, {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'charter-notifier',
          'Charter-Event': row.delivery.type,
          'Charter-Delivery': id,
          'Charter-Signature': signatureHeader(row.secret, row.body, t),
        },
        body: row.body,
        addresses,
        signal,
        maxAnswerBytes,
      });
      if (statusCode < 200 || statusCode > 299) error = `the receiver answered ${statusCode}`;
    } catch (cause) {
      error = describeFailure(cause, attemptTimeout);
    }
    const now = new Date();
    const durationMs = Date.now() - started;
    const delivered = error === undefined;
    const exhausted = number > retrySchedule.length;
    await db.transaction(async (tx) => {
      // The subscription may have been deleted meanwhile, its deliveries with it.
      const [still] = await tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(eq(deliveries.id, id))
        .for('update');
      if (!still) return;
      await tx.insert(deliveryAttempts).values({
        deliveryId: id,
        attempt: number,
        at: now,
        statusCode: statusCode ?? null,
        error: error ?? null,
        durationMs,
      });
      await tx
        .update(deliveries)
        .set({
          lastStatusCode: statusCode ?? null,
          lastError: error ?? null,
          status: delivered ? 'delivered' : exhausted ? 'failed' : 'retrying',
          deliveredAt: delivered ? now : null,
          nextAttemptAt:
            delivered || exhausted ? null : new Date(now.getTime() + retrySchedule[number - 1]!),
        })
        .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['pending', 'retrying'])));
    });
    const fields = {
      delivery: id,
      type: row.delivery.type,
      attempt: number,
      statusCode,
      durationMs,
    };
    if (delivered) logger.info('delivered', fields);
    else if (exhausted) logger.warn('delivery_failed', { ...fields, error });
    else logger.info('delivery_retrying', { ...fields, error });
  }

  /**
   * Starts due deliveries, oldest event first, at most one per subscription at a time: a receiver gets
   * its events in order, except that a delivery waiting for a retry does not hold back the next ones.
   */
  async function look(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free <= 0 || stopped) return;
    const busy = [...inFlight.keys()];
    const busySubscriptions = new Set([...inFlight.values()].map((d) => d.subscriptionId));
    const due = await db
      .select({ id: deliveries.id, subscriptionId: deliveries.subscriptionId })
      .from(deliveries)
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .where(
        and(
          inArray(deliveries.status, ['pending', 'retrying']),
          lte(deliveries.nextAttemptAt, new Date()),
          ...(busy.length > 0 ? [notInArray(deliveries.id, busy)] : []),
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt), asc(events.seq))
      .limit(free + busySubscriptions.size + 100);
    for (const { id, subscriptionId } of due) {
      if (inFlight.size >= concurrency) break;
      if (busySubscriptions.has(subscriptionId)) continue;
      busySubscriptions.add(subscriptionId);
      const running = attempt(id)
        .catch((error: unknown) => logger.error('delivery_error', { delivery: id, error }))
        .finally(() => {
          inFlight.delete(id);
          wake();
        });
      inFlight.set(id, { subscriptionId, running });
    }
  }

  function wake(): void {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    clearTimeout(timer);
    looking = look()
      .catch((error: unknown) => logger.error('delivery_lookup_error', { error }))
      .finally(() => {
        looking = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          wake();
        } else {
          timer = setTimeout(wake, tickMs);
        }
      });
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.allSettled([...inFlight.values()].map(({ running }) => running));
    },
  };
}
