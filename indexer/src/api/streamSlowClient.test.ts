import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Change } from '../client/types';
import { createStreamHub, type StreamHub, type SyncEvent } from './stream';

// A stream client that stops reading must not hold the others back nor make the server keep what it has
// not taken without end: past a bound it is dropped. The hub is served over real HTTP as the indexer serves
// it (@hono/node-server), and fed announcements directly, large ones, so that the bound is reached fast.

const maxQueuedBytes = 256 * 1024;
let hub: StreamHub;
let announce: (event: SyncEvent) => void;
let server: Server;
let port: number;

beforeAll(async () => {
  const listeners = new Set<(event: SyncEvent) => void>();
  announce = (event) => listeners.forEach((listener) => listener(event));
  hub = createStreamHub(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    { heartbeatMs: 60_000, maxQueuedBytes },
  );
  const app = new Hono();
  app.get('/stream', (c) => hub.respond(c));
  server = await new Promise<Server>((ready) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      ready(listening as Server),
    );
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

/** A raw client on its own socket: what it read so far, and whether the server closed the connection. */
function openStream(): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let closed = false;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes(': connected'))
        resolve({ socket, received: () => text, closed: () => closed });
    });
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
  });
}

/** One announcement of 500 changes at `block` (~55 KiB on the wire). */
const changesAt = (block: number): SyncEvent => ({
  changes: Array.from({ length: 500 }, (_, i): Change => ({
    kind: 'vote',
    id: `0x${(block * 1000 + i).toString(16).padStart(64, '0')}`,
    block,
  })),
});

const turn = () => new Promise((done) => setImmediate(done));

describe('a stream client that stops reading', () => {
  it('is dropped after a bound, while the others get every announcement as fast as without it', async () => {
    const readers = await Promise.all(Array.from({ length: 10 }, openStream));
    const stalled = await openStream();
    stalled.socket.pause(); // reads nothing more: what the server sends piles up in its buffers
    expect(hub.clients).toBe(11);

    let block = 0;
    let sentBytes = 0;
    /** Announces the next block and returns how long until every reader had all of it, in ms. */
    const deliver = async () => {
      const event = changesAt(++block);
      const sentAt = performance.now();
      announce(event);
      sentBytes += JSON.stringify(event).length;
      const last = `"block":${block}}\n\n`; // its last change
      const hasIt = (reader: (typeof readers)[number]) =>
        reader.received().indexOf(last, reader.received().length - 60_000) !== -1;
      while (!readers.every(hasIt)) await turn();
      return performance.now() - sentAt;
    };

    const withStalled: number[] = [];
    while (hub.clients > 10 && block < 1_000) withStalled.push(await deliver());
    // Dropped once it was the bound behind (what the sockets hold comes on top, a few MiB at most),
    expect(hub.clients).toBe(10);
    expect(sentBytes).toBeGreaterThan(maxQueuedBytes);
    expect(sentBytes).toBeLessThan(maxQueuedBytes + 16 * 1024 * 1024);
    // its connection closed by the server, not left open with full buffers while it reads nothing,
    const connections = () =>
      new Promise<number>((count) => server.getConnections((_, n) => count(n)));
    const deadline = Date.now() + 5_000;
    while ((await connections()) > 10 && Date.now() < deadline) await turn();
    expect(await connections()).toBe(10);
    // and the readers did not wait on it: announcements reached them as fast as once it was gone.
    const without: number[] = [];
    for (let i = 0; i < withStalled.length; i++) without.push(await deliver());
    const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
    expect(median(withStalled)).toBeLessThan(2 * median(without) + 5);
    for (const reader of readers) {
      expect(reader.closed()).toBe(false);
      reader.socket.destroy();
    }
    stalled.socket.destroy();
  }, 60_000);
});
