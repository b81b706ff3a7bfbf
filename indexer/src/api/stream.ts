import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

import type { Change, IndexedBlock } from '../client/types';

/** What the sync announces after each commit: the changes it made, then the block it reached. */
export type SyncEvent = { changes: Change[] } | { block: IndexedBlock };
export type Subscribe = (listener: (event: SyncEvent) => void) => () => void;

const heartbeatMs = 15_000;

/**
 * Server-Sent Events: one `change` event per change, sent after its transaction committed, then one
 * `block` event per commit naming the block the database now describes (also when nothing changed).
 */
export function streamChanges(c: Context, subscribe: Subscribe) {
  return streamSSE(c, async (stream) => {
    let writing: Promise<unknown> = stream.write(': connected\n\n');
    const send = (event: string, data: unknown) => {
      writing = writing.then(() => stream.writeSSE({ event, data: JSON.stringify(data) }));
    };
    const unsubscribe = subscribe((event) => {
      if ('block' in event) send('block', event.block);
      else for (const change of event.changes) send('change', change);
    });
    const heartbeat = setInterval(() => {
      writing = writing.then(() => stream.write(': heartbeat\n\n'));
    }, heartbeatMs);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(heartbeat);
    unsubscribe();
  });
}
