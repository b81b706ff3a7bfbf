import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Notifier } from '../startNotifier';
import type { Delivery } from '../subscriptions/subscriptions';
import { startReceiver, type Receiver } from '../testing/receiver';
import { signIn } from '../testing/signIn';
import { notifierFor, waitFor } from '../testing/testChain';
import { systemResolveHost, type ResolveHost } from './webhookAddress';

/** Names under `.example` resolve as this table says (comma-separated addresses), at the time of the
 * lookup; others as the system does. */
const answers = new Map<string, string>();
const resolveHost: ResolveHost = async (hostname) => {
  if (!hostname.endsWith('.example')) return systemResolveHost(hostname);
  const address = answers.get(hostname);
  if (!address) throw Object.assign(new Error(`no such name ${hostname}`), { code: 'ENOTFOUND' });
  return address.split(',').map((one) => ({ address: one, family: one.includes(':') ? 6 : 4 }));
};

let test: TestChain;
let closed: Notifier;
let open: Notifier;
let capped: Notifier;
let receiver: Receiver;

beforeAll(async () => {
  test = await startTestChain();
  [closed, open, capped] = await Promise.all([
    notifierFor(test, { allowPrivateWebhooks: false, resolveHost, retrySchedule: [100] }),
    notifierFor(test, { resolveHost }),
    notifierFor(test, { maxSubscriptions: 2, maxSubscriptionsPerHost: 3 }),
  ]);
  receiver = await startReceiver();
});
afterAll(async () => {
  await Promise.all([closed, open, capped].map((notifier) => notifier?.stop()));
  await receiver?.close();
  await test?.stop();
});

const subscribe = (via: Awaited<ReturnType<typeof signIn>>, url: string) =>
  via('/subscriptions', { method: 'POST', body: JSON.stringify({ url, events: ['test'] }) });

const insideUrls = [
  'http://127.0.0.1:9/hook',
  'http://[::1]/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/hook',
  'http://localhost:8080/hook',
  'http://0.0.0.0/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'https://[fd00::1]/hook',
  'http://[fe80::1]/hook',
  'http://192.168.1.1/hook',
  'http://172.16.0.1/hook',
];

describe('SSRF guard', () => {
  it('refuses webhooks that reach loopback, private or link-local addresses when private webhooks are off', async () => {
    expect(closed.config.allowPrivateWebhooks).toBe(false);
    const api = await signIn(closed.url, test.keys[1]!, test.deployment.chainId);
    for (const url of insideUrls) {
      const response = await subscribe(api, url);
      expect(response.status, url).toBe(400);
      const body = (await response.json()) as { parameter: string; message: string };
      expect(body.parameter, url).toBe('url');
      expect(body.message, url).toMatch(
        /^resolves to a private address \S+; webhooks must reach the public internet$/,
      );
    }
    answers.set('inside.example', '10.0.0.5');
    const named = await subscribe(api, 'https://inside.example/hook');
    expect(await named.json()).toEqual({
      error: 'bad_request',
      parameter: 'url',
      message: 'resolves to a private address 10.0.0.5; webhooks must reach the public internet',
    });
    const unknown = await subscribe(api, 'https://nowhere.example/hook');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toBe(
      'host nowhere.example does not resolve (ENOTFOUND)',
    );
    answers.set('public.example', '93.184.216.34');
    expect((await subscribe(api, 'https://public.example/hook')).status).toBe(201);
    expect(
      ((await (await api('/subscriptions')).json()) as { items: unknown[] }).items,
    ).toHaveLength(1);
  });

  it('allows them when the option is on (the default on the dev chain)', async () => {
    expect(open.config.allowPrivateWebhooks).toBe(true);
    const api = await signIn(open.url, test.keys[1]!, test.deployment.chainId);
    for (const url of insideUrls) expect((await subscribe(api, url)).status, url).toBe(201);
  });

  it('connects to the address it resolved, with the URL host in the Host header', async () => {
    answers.set('pinned.example', '127.0.0.1');
    const port = new URL(receiver.url).port;
    const api = await signIn(open.url, test.keys[2]!, test.deployment.chainId);
    const response = await subscribe(api, `http://pinned.example:${port}/hook`);
    const { subscription } = (await response.json()) as { subscription: { id: string } };
    const before = receiver.requests.length;
    await api(`/subscriptions/${subscription.id}/test`, { method: 'POST' });
    const request = await waitFor('the webhook', () => receiver.requests[before]);
    expect(request.headers.host).toBe(`pinned.example:${port}`);
  });

  it('delivers to a name with several addresses, trying each (::1 first; the receiver is on 127.0.0.1)', async () => {
    answers.set('twofold.example', '::1,127.0.0.1');
    const port = new URL(receiver.url).port;
    const api = await signIn(open.url, test.keys[3]!, test.deployment.chainId);
    const response = await subscribe(api, `http://twofold.example:${port}/hook`);
    const { subscription } = (await response.json()) as { subscription: { id: string } };
    const before = receiver.requests.length;
    await api(`/subscriptions/${subscription.id}/test`, { method: 'POST' });
    const request = await waitFor('the webhook', () => receiver.requests[before]);
    expect(request.headers.host).toBe(`twofold.example:${port}`);
  });

  it('does not send a delivery whose name resolves to a private address by the time it is sent (DNS rebinding)', async () => {
    answers.set('rebind.example', '203.0.113.10');
    const port = new URL(receiver.url).port;
    const api = await signIn(closed.url, test.keys[2]!, test.deployment.chainId);
    const response = await subscribe(api, `http://rebind.example:${port}/hook`);
    expect(response.status).toBe(201);
    const { subscription } = (await response.json()) as { subscription: { id: string } };
    answers.set('rebind.example', '127.0.0.1');
    const before = receiver.requests.length;
    await api(`/subscriptions/${subscription.id}/test`, { method: 'POST' });
    const failed = await waitFor('a failed delivery', async () => {
      const { items } = (await (
        await api(`/subscriptions/${subscription.id}/deliveries`)
      ).json()) as {
        items: Delivery[];
      };
      return items.find((delivery) => delivery.status === 'failed');
    });
    const reason =
      'not sent: resolves to a private address 127.0.0.1; webhooks must reach the public internet';
    expect(failed.lastError).toBe(reason);
    expect(failed.attemptLog.map((attempt) => attempt.error)).toEqual([reason, reason]);
    expect(failed.attemptLog.every((attempt) => attempt.statusCode === undefined)).toBe(true);
    expect(receiver.requests.length).toBe(before);
  });
});

describe('amplification caps', () => {
  it('refuses a subscription past the per-address cap with a 409 naming it', async () => {
    const api = await signIn(capped.url, test.keys[3]!, test.deployment.chainId);
    expect((await subscribe(api, 'http://one.test/hook')).status).toBe(201);
    expect((await subscribe(api, 'http://two.test/hook')).status).toBe(201);
    const refused = await subscribe(api, 'http://three.test/hook');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: 'conflict',
      limit: 'maxSubscriptions',
      message: 'an address may hold 2 subscriptions (maxSubscriptions); delete one first',
    });
  });

  it('refuses a subscription past the per-host cap, counting every subscriber and any port or scheme', async () => {
    const [a, b, c] = await Promise.all(
      [4, 5, 6].map((i) => signIn(capped.url, test.keys[i]!, test.deployment.chainId)),
    );
    expect((await subscribe(a!, 'http://victim.test/a')).status).toBe(201);
    expect((await subscribe(a!, 'https://victim.test:8443/b')).status).toBe(201);
    const third = await subscribe(b!, 'http://victim.test:8080/c');
    expect(third.status).toBe(201);
    const { subscription } = (await third.json()) as { subscription: { id: string } };
    const refused = await subscribe(c!, 'https://VICTIM.test/d');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: 'conflict',
      limit: 'maxSubscriptionsPerHost',
      message:
        "victim.test already receives 3 subscriptions' webhooks, the most one host may (maxSubscriptionsPerHost)",
    });
    // Another host is not affected; a name that only starts the same is another host.
    expect((await subscribe(c!, 'http://victim.test.other.test/d')).status).toBe(201);
    // Deleting one frees a place.
    expect((await b!(`/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await subscribe(c!, 'https://victim.test/d')).status).toBe(201);
  });
});
