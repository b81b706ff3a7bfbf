// The notifier (notifier/: signed webhooks and Atom feeds) as this server reaches it: the browser's calls
// go through /api/notifier, which forwards only the notifier's public routes and keeps the sign-in token
// in an httpOnly cookie, so that page scripts never hold it and the notifications page can read a
// subscriber's own subscriptions while rendering.
import { chainEventTypes, familyEventTypes, type ChainEventType } from '@charter/notifier/events';
import { error, type Cookies } from '@sveltejs/kit';

import { config } from './config';
import { indexer, read } from './indexer';

/** The cookie holding the notifier's sign-in: `{ token, address, expiresAt }`. */
export const SESSION_COOKIE = 'charter-notifier';

/** What the notifier answered to a sign-in. */
export interface NotifierSession {
  token: string;
  address: string;
  /** When the token stops working, as the notifier wrote it (ISO date or unix seconds). */
  expiresAt: string | number;
}

export interface Subscription {
  id: string;
  url: string;
  events: string[];
  delegates?: string[];
  families?: string[];
  createdAt?: string | number;
}

export interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed' | 'retrying';
  attempts: number;
  lastStatusCode?: number | null;
  lastError?: string | null;
  nextAttemptAt?: string | number | null;
  deliveredAt?: string | number | null;
  createdAt: string | number;
}

/** What each event type a subscription may ask for means to the person choosing: one for each, or tsc says so. */
const eventLabels: Record<ChainEventType, string> = {
  'proposal.created': 'A proposal is created',
  'proposal.state-changed': 'A proposal changes state (queued, executed…)',
  'vote.cast': 'A delegate votes',
  'model.approved': 'A version is approved',
  'model.deprecated': 'A version is deprecated',
  'model.revoked': 'A version is revoked',
  'model.suspended': 'A version is suspended',
  'result.posted': 'An evaluation result is posted',
  'result.disputed': 'An evaluation result is disputed',
};

/**
 * The event types, as the notifier names them, with their labels and whether the delegates or the families
 * chosen narrow them (none chosen: all).
 */
export const eventTypes = chainEventTypes.map((type) => ({
  type,
  label: eventLabels[type],
  narrowedBy:
    type === 'vote.cast'
      ? ('delegates' as const)
      : familyEventTypes.includes(type)
        ? ('families' as const)
        : undefined,
}));

/** A request the proxy may forward, or answer itself (sign-in and sign-out handle the cookie). */
export type NotifierRoute =
  | { kind: 'forward'; path: string; auth: boolean }
  | { kind: 'sign-in'; path: '/auth/sign-in' }
  | { kind: 'sign-out' };

const id = '[A-Za-z0-9_-]{1,100}';
const routes: { method: string; pattern: RegExp; route: (path: string) => NotifierRoute }[] = [
  { method: 'GET', pattern: /^auth\/nonce$/, route: (path) => forward(path, false) },
  {
    method: 'POST',
    pattern: /^auth\/sign-in$/,
    route: () => ({ kind: 'sign-in', path: '/auth/sign-in' }),
  },
  { method: 'POST', pattern: /^auth\/sign-out$/, route: () => ({ kind: 'sign-out' }) },
  { method: 'GET', pattern: /^subscriptions$/, route: (path) => forward(path, true) },
  { method: 'POST', pattern: /^subscriptions$/, route: (path) => forward(path, true) },
  {
    method: 'DELETE',
    pattern: new RegExp(`^subscriptions/${id}$`),
    route: (path) => forward(path, true),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^subscriptions/${id}/test$`),
    route: (path) => forward(path, true),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^subscriptions/${id}/deliveries$`),
    route: (path) => forward(path, true),
  },
  { method: 'GET', pattern: /^feeds\/dao\.atom$/, route: (path) => forward(path, false) },
  // A family's name is the registry's free text: any characters but a path separator.
  {
    method: 'GET',
    pattern: /^feeds\/families\/[^/]{1,200}\.atom$/,
    route: (path) => forward(path, false),
  },
];

function forward(path: string, auth: boolean): NotifierRoute {
  return {
    kind: 'forward',
    path: `/${path.split('/').map(encodeURIComponent).join('/')}`,
    auth,
  };
}

/**
 * What the proxy does with `method` on `path` (below /api/notifier/, decoded): one of the notifier's public
 * routes, or a refusal in words, `404` for a path it does not forward and `405` for a method it does not.
 */
export function notifierRoute(
  method: string,
  path: string,
): NotifierRoute | { refused: 404 | 405; message: string } {
  const matching = routes.filter((r) => r.pattern.test(path));
  if (!matching.length) {
    return { refused: 404, message: `The notifier has no public route /${path}.` };
  }
  const found = matching.find((r) => r.method === method);
  if (!found) {
    const allowed = matching.map((r) => r.method).join(', ');
    return { refused: 405, message: `/${path} answers ${allowed}, not ${method}.` };
  }
  return found.route(path);
}

/** The sign-in kept in the cookie, or null when there is none, it is unreadable or it has expired. */
export function readSession(cookies: Cookies, now = Date.now()): NotifierSession | null {
  const raw = cookies.get(SESSION_COOKIE);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as NotifierSession;
    if (typeof session.token !== 'string' || typeof session.address !== 'string') return null;
    const expires = unixSeconds(session.expiresAt);
    return expires === null || expires * 1000 > now ? session : null;
  } catch {
    return null;
  }
}

/** A time the notifier wrote (ISO date, unix seconds or milliseconds) in unix seconds; null if none. */
export function unixSeconds(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const n = Number(value);
    return n < 1e12 ? n : Math.floor(n / 1000);
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** Keeps the sign-in in an httpOnly cookie that lives as long as the token. */
export function writeSession(cookies: Cookies, session: NotifierSession, secure: boolean): void {
  const expires = unixSeconds(session.expiresAt);
  cookies.set(SESSION_COOKIE, JSON.stringify(session), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    ...(expires === null ? {} : { expires: new Date(expires * 1000) }),
  });
}

export function clearSession(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The notifier's base URL, or a 404 page when this server has none configured. */
export function notifierUrl(): string {
  if (!config.notifierUrl) error(404, 'Notifications are not set up on this server.');
  return config.notifierUrl;
}

/** A failure the notifier answered, in its own words. */
export class NotifierError extends Error {
  override name = 'NotifierError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the notifier's JSON API as `session`'s holder. */
export async function callNotifier<T>(
  path: string,
  session: NotifierSession | null,
  init: RequestInit = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${notifierUrl()}${path}`, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(session ? { authorization: `Bearer ${session.token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new NotifierError(503, 'The notifier is not reachable.');
  }
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  if (!response.ok) {
    throw new NotifierError(
      response.status,
      body?.message ?? `The notifier answered ${response.status} ${response.statusText}.`,
    );
  }
  return body as T;
}

/** How many deliveries the page shows per subscription. */
export const DELIVERIES_SHOWN = 20;

/** A delivery as the page shows it: times in unix seconds, absent values null. */
export interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  status: Delivery['status'];
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number | null;
}

export interface SubscriptionView {
  id: string;
  url: string;
  events: string[];
  delegates: string[];
  families: string[];
  createdAt: number | null;
  deliveries: DeliveryView[];
}

export function deliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    nextAttemptAt: unixSeconds(d.nextAttemptAt),
    deliveredAt: unixSeconds(d.deliveredAt),
    createdAt: unixSeconds(d.createdAt),
  };
}

/** A subscriber's subscriptions, each with its latest deliveries, newest first. */
export async function subscriptionsOf(session: NotifierSession): Promise<SubscriptionView[]> {
  const { items } = await callNotifier<{ items: Subscription[] }>('/subscriptions', session);
  return Promise.all(
    items.map(async (s) => {
      const log = await callNotifier<{ items: Delivery[] }>(
        `/subscriptions/${encodeURIComponent(s.id)}/deliveries?limit=${DELIVERIES_SHOWN}`,
        session,
      );
      return {
        id: s.id,
        url: s.url,
        events: s.events,
        delegates: s.delegates ?? [],
        families: s.families ?? [],
        createdAt: unixSeconds(s.createdAt),
        deliveries: log.items.map(deliveryView),
      };
    }),
  );
}

/**
 * The notifications page: the signed-in subscriber's subscriptions with their latest deliveries, and what
 * the subscription form offers (the registry's families, the delegates by voting power).
 */
export async function notificationsPage(cookies: Cookies) {
  notifierUrl();
  const [families, delegates] = await Promise.all([
    read(indexer.families.list()),
    read(indexer.delegates.list({ sort: 'power', limit: 50 })),
  ]);
  const session = readSession(cookies);
  let signedIn = session && {
    address: session.address.toLowerCase(),
    expiresAt: unixSeconds(session.expiresAt),
  };
  let subscriptions: SubscriptionView[] = [];
  let problem: string | null = null;
  if (session) {
    try {
      subscriptions = await subscriptionsOf(session);
    } catch (cause) {
      if (!(cause instanceof NotifierError)) throw cause;
      if (cause.status === 401) {
        // The notifier no longer knows the token (expired, or its database was reset): sign in again.
        clearSession(cookies);
        signedIn = null;
      } else {
        problem = cause.message;
      }
    }
  }
  return {
    signedIn,
    subscriptions,
    problem,
    eventTypes,
    families: families.map((f) => f.family),
    delegates: delegates.items.map((d) => ({ address: d.address, votingPower: d.votingPower })),
  };
}
