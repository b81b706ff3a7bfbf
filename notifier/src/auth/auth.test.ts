import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Notifier } from '../startNotifier';
import { notifierFor } from '../testing/testChain';
import { postSignIn, signIn, siweMessage } from '../testing/signIn';
import { createPostgresDatabase } from '../testing/testPostgres';

let test: TestChain;
let notifier: Notifier;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

// On PostgreSQL (--database-url); the other tests run on PGlite, in memory and on disk.
beforeAll(async () => {
  test = await startTestChain();
  database = await createPostgresDatabase();
  notifier = await notifierFor(test, { nonceTtl: 2, databaseUrl: database.url });
});
afterAll(async () => {
  await notifier?.stop();
  await database?.drop();
  await test?.stop();
});

const sign = (index: number, message: string) =>
  privateKeyToAccount(test.keys[index]!).signMessage({ message });

describe('sign-in with Ethereum', () => {
  it('signs in an address with a message for this domain and chain, and the token opens its subscriptions', async () => {
    expect(notifier.database.kind).toBe('postgres');
    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId);
    const response = await postSignIn(notifier.url, message, await sign(1, message));
    expect(response.status).toBe(200);
    const session = (await response.json()) as {
      token: string;
      address: string;
      expiresAt: string;
    };
    expect(session.address).toBe(test.address(1));
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const list = await fetch(`${notifier.url}/subscriptions`, {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ items: [] });
  });

  it('refuses a message for another domain', async () => {
    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId, {
      domain: 'evil.example',
    });
    const response = await postSignIn(notifier.url, message, await sign(1, message));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'wrong_domain' });
  });

  it('refuses a message for another chain', async () => {
    const message = await siweMessage(notifier.url, test.keys[1]!, 1);
    const response = await postSignIn(notifier.url, message, await sign(1, message));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'wrong_chain' });
  });

  it('refuses a nonce used before', async () => {
    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId);
    const signature = await sign(1, message);
    expect((await postSignIn(notifier.url, message, signature)).status).toBe(200);
    const again = await postSignIn(notifier.url, message, signature);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({
      error: 'bad_nonce',
      message: expect.stringMatching(/already used/),
    });
  });

  it('refuses a nonce it never issued', async () => {
    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId, {
      nonce: 'abcdefgh12345678',
    });
    const response = await postSignIn(notifier.url, message, await sign(1, message));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'bad_nonce' });
  });

  it('refuses a signature by another key, without using up the nonce', async () => {
    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId);
    const response = await postSignIn(notifier.url, message, await sign(2, message));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'bad_signature' });
    expect((await postSignIn(notifier.url, message, await sign(1, message))).status).toBe(200);
  });

  it('refuses an expired message and an expired nonce', async () => {
    const expired = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId, {
      expirationTime: new Date(Date.now() - 1000),
    });
    const response = await postSignIn(notifier.url, expired, await sign(1, expired));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'expired' });

    const message = await siweMessage(notifier.url, test.keys[1]!, test.deployment.chainId);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // nonceTtl is 2 s here
    const late = await postSignIn(notifier.url, message, await sign(1, message));
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({
      error: 'expired',
      message: expect.stringMatching(/nonce/),
    });
  });

  it('refuses garbage with a 400 and requests without a valid token with a 401', async () => {
    const garbage = await postSignIn(notifier.url, 'hello', '0x1234');
    expect(garbage.status).toBe(400);
    const none = await fetch(`${notifier.url}/subscriptions`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${notifier.url}/subscriptions`, {
      headers: { Authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(wrong.status).toBe(401);
  });
});

describe('subscriptions', () => {
  it('creates, lists, refuses bad input, hides others’ subscriptions, and deletes', async () => {
    const alice = await signIn(notifier.url, test.keys[1]!, test.deployment.chainId);
    const bob = await signIn(notifier.url, test.keys[2]!, test.deployment.chainId);
    const created = await alice('/subscriptions', {
      method: 'POST',
      body: JSON.stringify({
        url: 'https://hooks.example/charter',
        events: ['proposal.created', 'vote.cast', 'model.approved'],
        delegates: [test.address(3).toUpperCase().replace('0X', '0x')],
        families: ['mail-guard'],
      }),
    });
    expect(created.status).toBe(201);
    const { subscription, secret } = (await created.json()) as {
      subscription: { id: string; delegates: string[] };
      secret: string;
    };
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(subscription.delegates).toEqual([test.address(3)]);
    const listed = (await (await alice('/subscriptions')).json()) as { items: object[] };
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);

    for (const [body, parameter, words] of [
      [{ url: 'ftp://hooks.example/x', events: ['test'] }, 'url', /http or https/],
      [{ url: 'javascript:alert(1)', events: ['test'] }, 'url', /http or https/],
      [{ url: 'not a url', events: ['test'] }, 'url', /not a URL/],
      [{ url: 'https://hooks.example', events: ['proposal.exploded'] }, 'events', /not one of/],
      [{ url: 'https://hooks.example', events: [] }, 'events', /non-empty/],
      [
        { url: 'https://hooks.example', events: ['vote.cast'], delegates: ['0x12'] },
        'delegates',
        /not an address/,
      ],
    ] as const) {
      const refused = await alice('/subscriptions', { method: 'POST', body: JSON.stringify(body) });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        error: 'bad_request',
        parameter,
        message: expect.stringMatching(words),
      });
    }

    expect((await bob(`/subscriptions/${subscription.id}/deliveries`)).status).toBe(404);
    expect((await bob(`/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await alice(`/subscriptions/${subscription.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await alice(`/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(((await (await alice('/subscriptions')).json()) as { items: object[] }).items).toEqual(
      [],
    );
  });
});
