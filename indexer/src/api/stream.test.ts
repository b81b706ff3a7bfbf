import { request, type IncomingMessage } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Indexer } from '../startIndexer';
import { followTestChain, startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase';

// The stream does not touch the database: PGlite alone.
let test: TestChain;
let database: TestDatabase;
let indexer: Indexer;

beforeAll(async () => {
  test = await startTestChain();
  database = await createTestDatabase('pglite');
  indexer = await followTestChain(test, database, {
    heartbeatMs: 100,
  });
  await indexer.ready();
});
afterAll(async () => {
  await indexer?.stop();
  await database?.drop();
  await test?.stop();
});

/** A raw stream client: everything it received so far, as text. */
function openStream(): Promise<{
  response: IncomingMessage;
  text: () => string;
  close: () => void;
}> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/stream', indexer.url), (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', () => {});
      resolve({ response, text: () => text, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the live stream', () => {
  it('is an event stream that no cache keeps, with heartbeats while nothing happens', async () => {
    const stream = await openStream();
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream');
    expect(stream.response.headers['cache-control']).toBe('no-cache, no-transform');
    await waitFor(() => stream.text().includes(': heartbeat\n\n'), 'a heartbeat');
    expect(stream.text().startsWith(': connected\n\n')).toBe(true);
    stream.close();
  });

  it('brings one announcement to every client, and lets clients go', async () => {
    const streams = await Promise.all(Array.from({ length: 200 }, openStream));
    await waitFor(() => streams.every((s) => s.text().includes(': connected')), 'connections');
    await test.chain.test.mine({ blocks: 1 });
    const head = await waitForHead(test, indexer.status);
    const event = new RegExp(`event: block\\ndata: \\{"number":${head},"hash":"0x[0-9a-f]{64}"`);
    await waitFor(() => streams.every((s) => event.test(s.text())), `block ${head} everywhere`);
    for (const stream of streams) stream.close();

    // A client that left gets nothing more, and the others are unaffected.
    const stayed = await openStream();
    await test.chain.test.mine({ blocks: 1 });
    const next = await waitForHead(test, indexer.status);
    await waitFor(() => stayed.text().includes(`"number":${next},`), `block ${next}`);
    expect(streams.every((s) => !s.text().includes(`"number":${next},`))).toBe(true);
    stayed.close();
  });
});
