import { json } from '@sveltejs/kit';

import {
  clearSession,
  notifierRoute,
  notifierUrl,
  readSession,
  writeSession,
  type NotifierSession,
} from '$lib/server/notifier';
import type { RequestHandler } from './$types';

const refuse = (status: number, error: string, message: string) =>
  json({ error, message }, { status, headers: { 'cache-control': 'no-store' } });

/**
 * The browser's way to the notifier: its public routes only (sign-in, the signed-in subscriber's
 * subscriptions, test events, delivery logs, the Atom feeds), with the sign-in token added from the
 * httpOnly cookie this route sets on sign-in; anything else is refused.
 */
const proxy: RequestHandler = async ({ request, params, url, cookies }) => {
  const route = notifierRoute(request.method, params.path);
  if ('refused' in route) {
    return refuse(
      route.refused,
      route.refused === 404 ? 'not_found' : 'method_not_allowed',
      route.message,
    );
  }
  if (route.kind === 'sign-out') {
    clearSession(cookies);
    return json({ signedOut: true });
  }
  const session = readSession(cookies);
  if (route.kind === 'forward' && route.auth && !session) {
    return refuse(
      401,
      'signed_out',
      'Sign in with your wallet first: your sign-in is missing or has expired.',
    );
  }
  const base = notifierUrl();
  const body = request.method === 'GET' ? undefined : await request.text();
  let response: Response;
  try {
    response = await fetch(`${base}${route.path}${route.kind === 'forward' ? url.search : ''}`, {
      method: request.method,
      headers: {
        accept: request.headers.get('accept') ?? '*/*',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(route.kind === 'forward' && route.auth && session
          ? { authorization: `Bearer ${session.token}` }
          : {}),
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return refuse(503, 'unavailable', 'The notifier is not reachable: try again in a moment.');
  }

  if (route.kind === 'sign-in' && response.ok) {
    const signedIn = (await response.json()) as NotifierSession;
    writeSession(cookies, signedIn, url.protocol === 'https:');
    return json({ address: signedIn.address, expiresAt: signedIn.expiresAt });
  }
  if (response.status === 401 && route.kind === 'forward' && route.auth) {
    // The notifier no longer knows the token (it expired, or its database was reset).
    clearSession(cookies);
    return refuse(401, 'signed_out', 'Your sign-in has expired: sign in again.');
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of ['content-type', 'retry-after']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, headers });
};

export const GET = proxy;
export const POST = proxy;
export const DELETE = proxy;
export const fallback: RequestHandler = ({ request, params }) => {
  const route = notifierRoute(request.method, params.path);
  return 'refused' in route
    ? refuse(
        route.refused,
        route.refused === 404 ? 'not_found' : 'method_not_allowed',
        route.message,
      )
    : refuse(405, 'method_not_allowed', `${request.method} is not forwarded to the notifier.`);
};
