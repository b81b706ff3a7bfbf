import { and, desc, eq, isNull, notInArray } from 'drizzle-orm';
import { Feed } from 'feed';

import type { Database } from '../database/openDatabase';
import { events } from '../database/schema';
import { describeEvent } from '../events/describeEvent';
import type { EventBody } from '../events/eventTypes';

/** Entries in a feed: the newest ones. */
export const feedSize = 50;

/**
 * An Atom 1.0 feed of the DAO's events, or of one model family's, newest first: what was sent to
 * webhooks, without tests and without events a reorg retracted. Entries link to the web app.
 */
export async function buildFeed(
  db: Database,
  options: { publicUrl: string; selfUrl: string; chainId: number; family?: string },
): Promise<string> {
  const rows = await db
    .select({ body: events.body, createdAt: events.createdAt })
    .from(events)
    .where(
      and(
        isNull(events.retractedAt),
        notInArray(events.type, ['test', 'event.retracted']),
        ...(options.family === undefined ? [] : [eq(events.family, options.family)]),
      ),
    )
    .orderBy(desc(events.seq))
    .limit(feedSize);
  const scope = options.family === undefined ? 'the DAO' : `model family ${options.family}`;
  const feed = new Feed({
    id: options.selfUrl,
    title: `Charter: ${scope}`,
    description: `What happened in ${scope} on chain ${options.chainId}, once final`,
    link: options.publicUrl,
    feedLinks: { atom: options.selfUrl },
    updated: rows[0]?.createdAt ?? new Date(),
    generator: 'Charter notifier',
    copyright: '',
  });
  for (const row of rows) {
    const body = JSON.parse(row.body) as EventBody;
    const { title, link } = describeEvent(body, options.publicUrl);
    const when = body.block ? new Date(body.block.timestamp * 1000) : row.createdAt;
    feed.addItem({
      id: `urn:charter:${body.chainId}:${body.id}`,
      title,
      link,
      date: when,
      published: when,
      content: JSON.stringify(body, null, 2),
      category: [{ name: body.type }],
    });
  }
  return feed.atom1();
}
