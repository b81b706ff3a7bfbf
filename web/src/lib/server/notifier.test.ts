import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';

import { deliveryView, notifierRoute, readSession, SESSION_COOKIE, unixSeconds } from './notifier';

describe('notifierRoute', () => {
  it('forwards the notifier’s public routes, with the sign-in where they need it', () => {
    expect(notifierRoute('GET', 'auth/nonce')).toEqual({
      kind: 'forward',
      path: '/auth/nonce',
      auth: false,
    });
    expect(notifierRoute('POST', 'auth/sign-in')).toEqual({
      kind: 'sign-in',
      path: '/auth/sign-in',
    });
    expect(notifierRoute('POST', 'auth/sign-out')).toEqual({ kind: 'sign-out' });
    for (const [method, path] of [
      ['GET', 'subscriptions'],
      ['POST', 'subscriptions'],
      ['DELETE', 'subscriptions/01HX2'],
      ['POST', 'subscriptions/01HX2/test'],
      ['GET', 'subscriptions/01HX2/deliveries'],
    ]) {
      expect(notifierRoute(method!, path!)).toEqual({
        kind: 'forward',
        path: `/${path}`,
        auth: true,
      });
    }
    expect(notifierRoute('GET', 'feeds/dao.atom')).toEqual({
      kind: 'forward',
      path: '/feeds/dao.atom',
      auth: false,
    });
  });

  it('encodes a family’s name in its feed’s path', () => {
    expect(notifierRoute('GET', 'feeds/families/mail guard?x.atom')).toEqual({
      kind: 'forward',
      path: '/feeds/families/mail%20guard%3Fx.atom',
      auth: false,
    });
  });

  it('refuses every other path, and other methods on the forwarded ones, in words', () => {
    expect(notifierRoute('GET', 'health')).toEqual({
      refused: 404,
      message: 'The notifier has no public route /health.',
    });
    expect(notifierRoute('GET', 'subscriptions/../admin')).toMatchObject({ refused: 404 });
    expect(notifierRoute('GET', 'subscriptions/a/b/deliveries')).toMatchObject({ refused: 404 });
    expect(notifierRoute('GET', 'feeds/families/a/b.atom')).toMatchObject({ refused: 404 });
    expect(notifierRoute('PUT', 'subscriptions')).toEqual({
      refused: 405,
      message: '/subscriptions answers GET, POST, not PUT.',
    });
    expect(notifierRoute('GET', 'auth/sign-in')).toMatchObject({ refused: 405 });
  });
});

describe('unixSeconds', () => {
  it('reads ISO dates, unix seconds and milliseconds alike', () => {
    expect(unixSeconds('2026-11-30T20:14:43.000Z')).toBe(1796069683);
    expect(unixSeconds(1796069683)).toBe(1796069683);
    expect(unixSeconds('1796069683')).toBe(1796069683);
    expect(unixSeconds(1796069683123)).toBe(1796069683);
    expect(unixSeconds(null)).toBeNull();
    expect(unixSeconds(undefined)).toBeNull();
    expect(unixSeconds('soon')).toBeNull();
  });
});

function cookies(value: string | undefined): Cookies {
  return { get: (name: string) => (name === SESSION_COOKIE ? value : undefined) } as Cookies;
}

describe('readSession', () => {
  const now = Date.parse('2026-11-30T20:00:00Z');
  const session = { token: 't0k', address: '0xabc', expiresAt: '2026-11-30T21:00:00Z' };

  it('reads the sign-in until it expires', () => {
    expect(readSession(cookies(JSON.stringify(session)), now)).toEqual(session);
    expect(
      readSession(cookies(JSON.stringify(session)), Date.parse('2026-11-30T21:00:01Z')),
    ).toBeNull();
  });

  it('ignores a missing, garbled or incomplete cookie', () => {
    expect(readSession(cookies(undefined), now)).toBeNull();
    expect(readSession(cookies('{not json'), now)).toBeNull();
    expect(readSession(cookies(JSON.stringify({ address: '0xabc' })), now)).toBeNull();
  });
});

describe('deliveryView', () => {
  it('gives every time in unix seconds and every absent value as null', () => {
    expect(
      deliveryView({
        id: 'd1',
        eventId: 'e1',
        type: 'test',
        status: 'retrying',
        attempts: 2,
        lastStatusCode: 500,
        nextAttemptAt: '2026-11-30T20:14:43Z',
        createdAt: 1796069680,
      }),
    ).toEqual({
      id: 'd1',
      eventId: 'e1',
      type: 'test',
      status: 'retrying',
      attempts: 2,
      lastStatusCode: 500,
      lastError: null,
      nextAttemptAt: 1796069683,
      deliveredAt: null,
      createdAt: 1796069680,
    });
  });
});
