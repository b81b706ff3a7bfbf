import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { config } from '$lib/server/config';
import { GET } from './ballots/[id]/+server';
import { POST } from './ballots/+server';

// A stand-in for the relayer's HTTP API on loopback: records what reached it and answers as the relayer does.
const received: { method: string; url: string; body: string }[] = [];
let server: Server;
const id = `0x${'ab'.repeat(32)}`;

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
    const ballot = JSON.parse(body || '{}') as { reason?: string };
    if (request.method === 'POST' && ballot.reason === 'again') {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
      response.end(JSON.stringify({ error: 'rate_limited', message: 'One ballot a minute.' }));
      return;
    }
    response.writeHead(request.method === 'POST' ? 202 : 200, {
      'content-type': 'application/json',
    });
    response.end(JSON.stringify({ id, status: 'queued' }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  config.relayerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  config.relayerUrl = null;
  server.close();
});

const post = (body: string) =>
  POST({
    request: new Request('http://web/api/relayer/ballots', { method: 'POST', body }),
  } as never) as Promise<Response>;
const get = (ballot: string) => GET({ params: { id: ballot } } as never) as Promise<Response>;

describe('/api/relayer', () => {
  it('passes a ballot to the relayer and its answer back', async () => {
    const ballot = JSON.stringify({ kind: 'vote', reason: 'why not' });
    const response = await post(ballot);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id, status: 'queued' });
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/ballots', body: ballot });
  });

  it("passes the relayer's refusal back with its status, words and Retry-After", async () => {
    const response = await post(JSON.stringify({ kind: 'vote', reason: 'again' }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({
      error: 'rate_limited',
      message: 'One ballot a minute.',
    });
  });

  it("asks for a ballot's status by its id", async () => {
    const response = await get(id.toUpperCase().replace('0X', '0x'));
    expect(response.status).toBe(200);
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: `/ballots/${id}` });
  });

  it('refuses what is not a ballot before the relayer sees it', async () => {
    const before = received.length;
    const notJson = await post('{kind: vote');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toBe('The ballot is not JSON.');
    const huge = await post(JSON.stringify({ reason: 'x'.repeat(40_000) }));
    expect(huge.status).toBe(413);
    const badId = await get('../status');
    expect(badId.status).toBe(400);
    expect((await badId.json()).parameter).toBe('id');
    expect(received.length).toBe(before);
  });

  it('says so in words when the relayer does not answer', async () => {
    const running = config.relayerUrl;
    config.relayerUrl = 'http://127.0.0.1:9';
    try {
      const response = await post('{}');
      expect(response.status).toBe(502);
      expect((await response.json()).error).toBe('relayer_unreachable');
    } finally {
      config.relayerUrl = running;
    }
  });

  it('is not found when no relayer is configured', async () => {
    const running = config.relayerUrl;
    config.relayerUrl = null;
    try {
      await expect(post('{}')).rejects.toMatchObject({ status: 404 });
    } finally {
      config.relayerUrl = running;
    }
  });
});
