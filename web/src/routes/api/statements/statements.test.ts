import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { config } from '$lib/server/config';
import { POST } from './+server';

// A stand-in for the indexer's statements route on loopback: records what reached it and answers as the
// indexer does (201 a new version; 429 with Retry-After for one too soon after the last).
const received: { method: string; url: string; body: string }[] = [];
let server: Server;
let indexerUrl: string;
const delegate = `0x${'ab'.repeat(20)}`;

const read = (request: IncomingMessage) =>
  new Promise<string>((done) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => done(body));
  });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await read(request);
    received.push({ method: request.method!, url: request.url!, body });
    const publication = JSON.parse(body) as { statement: string; issuedAt: number };
    if (publication.statement === 'Again.') {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3540' });
      response.end(JSON.stringify({ error: 'rate_limited', message: 'One new version an hour.' }));
      return;
    }
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ delegate, ...publication, version: 2 }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  indexerUrl = config.indexerUrl;
  config.indexerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  config.indexerUrl = indexerUrl;
  server.close();
});

const publish = (statement: string) =>
  POST({
    request: new Request('http://web/api/statements', {
      method: 'POST',
      body: JSON.stringify({
        delegate,
        statement,
        interests: ['safety'],
        issuedAt: 1_800_000_000,
        signature: `0x${'12'.repeat(65)}`,
      }),
    }),
  } as never) as Promise<Response>;

describe('/api/statements', () => {
  it('passes a signed statement to the indexer and its new version back', async () => {
    const response = await publish('Mine.');
    expect(response.status).toBe(201);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toEqual({ version: 2, issuedAt: 1_800_000_000 });
    expect(received.at(-1)).toMatchObject({
      method: 'POST',
      url: `/delegates/${delegate}/statements`,
    });
  });

  it("passes the indexer's refusal back with its status, words and Retry-After", async () => {
    const response = await publish('Again.');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3540');
    expect(await response.json()).toEqual({
      error: 'rate_limited',
      message: 'One new version an hour.',
    });
  });
});
