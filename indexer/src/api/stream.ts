import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

import type { Change } from '../client/types';

export type Subscribe = (listener: (changes: Change[]) => void) => () => void;

const heartbeatMs = 15_000;

/** Server-Sent Events: one `change` event per change, sent after its transaction committed. */
export function streamChanges(c: Context, subscribe: Subscribe) {
  return streamSSE(c, async (stream) => {
    let writing: Promise<unknown> = stream.write(': connected\n\n');
    const unsubscribe = subscribe((changes) => {
      for (const change of changes) {
        writing = writing.then(() =>
          stream.writeSSE({ event: 'change', data: JSON.stringify(change) }),
        );
      }
    });
    const heartbeat = setInterval(() => {
      writing = writing.then(() => stream.write(': heartbeat\n\n'));
    }, heartbeatMs);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(heartbeat);
    unsubscribe();
  });
}
