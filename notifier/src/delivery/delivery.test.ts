import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { action, charterGovernorAbi, freePort } from '@charter/contracts';
import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { xml2js, type Element } from 'xml-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventBody } from '../events/eventTypes';
import type { Notifier } from '../startNotifier';
import type { Delivery } from '../subscriptions/subscriptions';
import { startReceiver, type Receiver } from '../testing/receiver';
import { signIn } from '../testing/signIn';
import { notifierFor, testPublicUrl, waitFor } from '../testing/testChain';

let test: TestChain;
let notifier: Notifier;
let api: Awaited<ReturnType<typeof signIn>>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  test = await startTestChain();
  notifier = await notifierFor(test, { attemptTimeout: 1_000 });
  api = await signIn(notifier.url, test.keys[1]!, test.deployment.chainId);
});
afterAll(async () => {
  await notifier?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await test?.stop();
});

const receiver = async (answer?: (index: number) => number, port?: number) => {
  const started = await startReceiver(answer, port);
  receivers.push(started);
  return started;
};

async function subscribe(url: string, events: string[], via = api) {
  const response = await via('/subscriptions', {
    method: 'POST',
    body: JSON.stringify({ url, events }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { subscription: { id: string }; secret: string };
}

const deliveriesOf = async (id: string, via = api) =>
  ((await (await via(`/subscriptions/${id}/deliveries`)).json()) as { items: Delivery[] }).items;

/** Waits until the subscription's newest delivery has `status`. */
const settled = (id: string, status: Delivery['status'], via = api, timeoutMs?: number) =>
  waitFor(
    `a ${status} delivery`,
    async () => (await deliveriesOf(id, via)).find((delivery) => delivery.status === status),
    timeoutMs,
  );

/** The `verify` function the README shows, written with node:crypto alone, loaded as it is written. */
async function readmeReceiver() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const code = /```js\n(import \{ createHmac[\s\S]*?)```/.exec(readme)![1]!;
  const dir = mkdtempSync(join(tmpdir(), 'notifier-readme-'));
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, `${code}\nexport { verify };\n`);
  const module = (await import(pathToFileURL(file).href)) as {
    verify: (secret: string, header: string, raw: string) => boolean;
  };
  rmSync(dir, { recursive: true, force: true });
  return module.verify;
}

let proposals = 0;
/** Creates a proposal (a distinct one each call); returns its id and the block it was created in. */
async function createProposal() {
  proposals++;
  const { governor } = test.deployment.contracts;
  const id = await test.chain.propose(
    test.keys[0]!,
    [action(governor, charterGovernorAbi, 'setVotingDelay', [60 + proposals])],
    `# Slower voting ${proposals}\n\nGive people more time.`,
  );
  return { id, block: await test.chain.public.getBlock() };
}

describe('webhook delivery', () => {
  it('sends a proposal created on chain, signed so that a receiver using node:crypto alone can verify it', async () => {
    const hook = await receiver();
    const { subscription, secret } = await subscribe(hook.url, ['proposal.created']);
    const { id, block } = await createProposal();
    await waitFor('the webhook', () => hook.requests[0]);
    const [request] = hook.requests;

    // The receiver's side, written with node:crypto alone.
    const header = String(request!.headers['charter-signature']);
    const t = /(?:^|,)t=(\d+)/.exec(header)![1]!;
    const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)![1]!;
    const expected = createHmac('sha256', secret).update(`${t}.${request!.raw}`).digest();
    expect(timingSafeEqual(Buffer.from(v1, 'hex'), expected)).toBe(true);
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(60);
    const forged = createHmac('sha256', 'not the secret').update(`${t}.${request!.raw}`).digest();
    expect(timingSafeEqual(Buffer.from(v1, 'hex'), forged)).toBe(false);

    // And so does the README's receiver.
    const readmeVerify = await readmeReceiver();
    expect(readmeVerify(secret, header, request!.raw)).toBe(true);
    expect(readmeVerify(secret, header, request!.raw.replace('Slower', 'Faster'))).toBe(false);

    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['charter-event']).toBe('proposal.created');
    const body = JSON.parse(request!.raw) as EventBody;
    expect(body).toMatchObject({
      type: 'proposal.created',
      chainId: test.deployment.chainId,
      block: { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) },
      tx: block.transactions[0],
      data: {
        proposalId: id.toString(),
        proposer: test.address(0),
        title: `Slower voting ${proposals}`,
        url: `${testPublicUrl}/proposals/${id}`,
      },
    });
    const delivered = await settled(subscription.id, 'delivered');
    expect(request!.headers['charter-delivery']).toBe(delivered.id);
    expect(delivered).toMatchObject({
      eventId: body.id,
      type: 'proposal.created',
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(hook.requests).toHaveLength(1);
  });

  it('retries a failing receiver on the schedule: two failures, then delivered on the third attempt', async () => {
    const hook = await receiver((index) => [500, 503][index] ?? 200);
    const { subscription } = await subscribe(hook.url, ['test']);
    expect((await api(`/subscriptions/${subscription.id}/test`, { method: 'POST' })).status).toBe(
      202,
    );
    const delivered = await settled(subscription.id, 'delivered');
    expect(delivered.attempts).toBe(3);
    expect(delivered.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 503, 200]);
    expect(delivered.attemptLog[0]!.error).toMatch(/answered 500/);
    expect(hook.requests).toHaveLength(3);
    // The schedule here is 200 ms, then 400 ms; the same body each time, each signed anew.
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(190);
    expect(hook.requests[2]!.at - hook.requests[1]!.at).toBeGreaterThanOrEqual(390);
    expect(new Set(hook.requests.map((r) => r.raw)).size).toBe(1);
    expect(JSON.parse(hook.requests[0]!.raw)).toMatchObject({
      type: 'test',
      block: null,
      tx: null,
    });
  });

  it('gives up after the last attempt: a receiver that keeps failing, one that refuses connections, one that hangs', async () => {
    const failing = await receiver(() => 500);
    const refusing = `http://127.0.0.1:${await freePort()}/hook`;
    const hanging = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/hook`;
    try {
      const subscriptions = await Promise.all(
        [failing.url, refusing, hangingUrl].map((url) => subscribe(url, ['test'])),
      );
      for (const { subscription } of subscriptions) {
        await api(`/subscriptions/${subscription.id}/test`, { method: 'POST' });
      }
      const [fails, refuses, hangs] = await Promise.all(
        subscriptions.map(({ subscription }) => settled(subscription.id, 'failed')),
      );
      expect(fails).toMatchObject({ attempts: 3, lastStatusCode: 500 });
      expect(fails!.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500]);
      expect(failing.requests).toHaveLength(3);
      expect(refuses).toMatchObject({
        attempts: 3,
        lastError: expect.stringMatching(/ECONNREFUSED/),
      });
      expect(refuses!.lastStatusCode).toBeUndefined();
      expect(hangs).toMatchObject({ attempts: 3, lastError: 'no answer within 1000 ms' });
      expect(hangs!.nextAttemptAt).toBeUndefined();
    } finally {
      hanging.close();
    }
  });

  it('serves Atom feeds of what happened, newest first, linking to the web app', async () => {
    const response = await fetch(`${notifier.url}/feeds/dao.atom`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const document = xml2js(await response.text()) as Element;
    const feed = document.elements!.find((element) => element.name === 'feed')!;
    expect(feed.attributes!.xmlns).toBe('http://www.w3.org/2005/Atom');
    const child = (element: Element, name: string) =>
      element.elements!.find((e) => e.name === name);
    const text = (element: Element | undefined) =>
      String(element?.elements?.[0]?.text ?? element?.elements?.[0]?.cdata ?? '');
    const entries = feed.elements!.filter((element) => element.name === 'entry');
    // The proposal of the first test; test events are not in feeds.
    expect(entries.length).toBe(proposals);
    const [newest] = entries;
    expect(text(child(newest!, 'title'))).toBe(`Proposal created: Slower voting ${proposals}`);
    expect(child(newest!, 'link')!.attributes!.href).toMatch(
      new RegExp(`^${testPublicUrl}/proposals/\\d+$`),
    );
    expect(text(child(newest!, 'id'))).toMatch(/^urn:charter:/);
    expect(Date.parse(text(child(newest!, 'updated')))).not.toBeNaN();

    const family = xml2js(
      await (await fetch(`${notifier.url}/feeds/families/mail-guard.atom`)).text(),
    ) as Element;
    const familyFeed = family.elements!.find((element) => element.name === 'feed')!;
    expect(familyFeed.elements!.filter((element) => element.name === 'entry')).toHaveLength(0);
    expect(text(child(familyFeed, 'title'))).toBe('Charter: model family mail-guard');
    expect((await fetch(`${notifier.url}/feeds/families/mail-guard.rss`)).status).toBe(404);
  });
});

describe('restart', () => {
  it('retries a delivery that was pending when the notifier stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'notifier-restart-'));
    const port = await freePort();
    let first: Notifier | undefined;
    let second: Notifier | undefined;
    try {
      first = await notifierFor(test, { dataDir, retrySchedule: [1_000] });
      // Caught up first: the proposals of the tests above are not for this subscription.
      await waitFor('the notifier to catch up', () => (first!.follower.ready ? true : undefined));
      const owner = await signIn(first.url, test.keys[2]!, test.deployment.chainId);
      // Nobody listens on `port` yet: the first attempt is refused.
      const { subscription, secret } = await subscribe(
        `http://127.0.0.1:${port}/hook`,
        ['proposal.created'],
        owner,
      );
      const { id } = await createProposal();
      const retrying = await settled(subscription.id, 'retrying', owner);
      expect(retrying.lastError).toMatch(/ECONNREFUSED/);
      await first.stop();

      const listening = await receiver(undefined, port);
      second = await notifierFor(test, { dataDir, retrySchedule: [1_000] });
      await waitFor('the delivery after the restart', () => listening.requests[0]);
      const body = JSON.parse(listening.requests[0]!.raw) as EventBody;
      expect(body).toMatchObject({ type: 'proposal.created', data: { proposalId: id.toString() } });
      const t = /t=(\d+)/.exec(String(listening.requests[0]!.headers['charter-signature']))![1];
      const v1 = createHmac('sha256', secret)
        .update(`${t}.${listening.requests[0]!.raw}`)
        .digest('hex');
      expect(listening.requests[0]!.headers['charter-signature']).toBe(`t=${t},v1=${v1}`);
      const owner2 = await signIn(second.url, test.keys[2]!, test.deployment.chainId);
      const delivered = await settled(subscription.id, 'delivered', owner2);
      expect(delivered.attempts).toBe(2);
      expect(delivered.attemptLog.map((attempt) => attempt.statusCode ?? null)).toEqual([
        null,
        200,
      ]);
      // Recorded once: the restart read the chain from its checkpoint and sent nothing twice.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listening.requests).toHaveLength(1);
    } finally {
      await first?.stop();
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
