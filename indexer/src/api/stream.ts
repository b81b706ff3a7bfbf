import type { Context } from 'hono';

import type { Change, IndexedBlock } from '../client/types';

/** What the sync announces after each commit: the changes it made, then the block it reached. */
export type SyncEvent = { changes: Change[] } | { block: IndexedBlock };
export type Subscribe = (listener: (event: SyncEvent) => void) => () => void;

export interface StreamHubOptions {
  /** Between comment lines sent to every client, so that proxies keep idle connections open. */
  heartbeatMs?: number;
  /** A client this far behind (bytes it has not taken yet) is dropped; its EventSource reconnects. */
  maxQueuedBytes?: number;
}

export const defaultHeartbeatMs = 15_000;

const encoder = new TextEncoder();
const connected = encoder.encode(': connected\n\n');
const heartbeat = encoder.encode(': heartbeat\n\n');
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Server-Sent Events for any number of clients from one subscription to the sync: each announcement is
 * serialized once and the same bytes are queued to every client: one `change` event per change, sent
 * after its transaction committed, then one `block` event per commit naming the block the database now
 * describes (also when nothing changed). One timer sends every client's heartbeat.
 */
export function createStreamHub(
  subscribe: Subscribe,
  { heartbeatMs = defaultHeartbeatMs, maxQueuedBytes = 1 << 20 }: StreamHubOptions = {},
) {
  /** Each client's stream, and how to drop it. */
  const clients = new Map<ReadableStreamDefaultController<Uint8Array>, () => void>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const leave = (client: ReadableStreamDefaultController<Uint8Array>) => {
    clients.delete(client);
    if (clients.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const broadcast = (chunk: Uint8Array) => {
    for (const [client, drop] of clients) {
      // With a high-water mark of 0 bytes, -desiredSize is what the client has not taken yet.
      if (-(client.desiredSize ?? 0) > maxQueuedBytes) {
        leave(client);
        drop();
      } else client.enqueue(chunk);
    }
  };

  subscribe((event) => {
    if (clients.size === 0) return;
    const text =
      'block' in event
        ? sse('block', event.block)
        : event.changes.map((change) => sse('change', change)).join('');
    broadcast(encoder.encode(text));
  });

  return {
    /** A new client's response (with the headers `c` holds): events start with the next announcement. */
    respond(c: Context): Response {
      // Served by @hono/node-server, the connection: closing it drops a client that reads nothing (its
      // buffers full, it would never take the error), and cancels its stream, discarding the queue.
      const connection = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
      let self: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            self = controller;
            controller.enqueue(connected);
            clients.set(controller, () =>
              connection
                ? connection.destroy()
                : controller.error(new Error('stream client too slow')),
            );
            timer ??= setInterval(() => broadcast(heartbeat), heartbeatMs).unref();
          },
          cancel: () => leave(self),
        },
        new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
      );
      return c.body(body, 200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        // nginx buffers proxied answers unless told not to; events must go out as they come.
        'X-Accel-Buffering': 'no',
      });
    },

    /** Clients connected now. */
    get clients() {
      return clients.size;
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
