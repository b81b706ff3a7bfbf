import { Hono, type Context } from 'hono';

import { SignInRefused, TooManySignIns, type Auth } from '../auth/auth';
import type { Database } from '../database/openDatabase';
import { buildFeed } from '../feeds/buildFeed';
import type { Logger } from '@charter/indexer';
import {
  BadRequest,
  Conflict,
  createSubscription,
  deleteSubscription,
  listDeliveries,
  listSubscriptions,
  NotFound,
  parseSubscriptionRequest,
  queueTestEvent,
  type SubscriptionLimits,
} from '../subscriptions/subscriptions';

export interface AppOptions {
  db: Database;
  auth: Auth;
  chainId: number;
  publicUrl: string;
  /** Caps and the private-address rule for new subscriptions. */
  limits: SubscriptionLimits;
  logger: Logger;
  /** Whether the follower has caught up once (GET /ready). */
  ready(): boolean;
  /** Tells the delivery worker that something is due now. */
  wake(): void;
}

class Unauthorized extends Error {}

/** Largest JSON body accepted. */
const maxBodyBytes = 64 * 1024;

/** The HTTP API of the README: sign-in, subscriptions and their deliveries, feeds. */
export function createApp({
  db,
  auth,
  chainId,
  publicUrl,
  limits,
  logger,
  ready,
  wake,
}: AppOptions): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof BadRequest) {
      return c.json(
        { error: 'bad_request', parameter: error.parameter, message: error.message },
        400,
      );
    }
    if (error instanceof SignInRefused) {
      return c.json(
        { error: error.code, message: error.message },
        error.code === 'bad_request' ? 400 : 401,
      );
    }
    if (error instanceof TooManySignIns) {
      c.header('Retry-After', '60');
      return c.json({ error: 'unavailable', message: error.message }, 503);
    }
    if (error instanceof Unauthorized) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: 'unauthorized', message: error.message }, 401);
    }
    if (error instanceof NotFound)
      return c.json({ error: 'not_found', message: error.message }, 404);
    if (error instanceof Conflict)
      return c.json(
        {
          error: 'conflict',
          message: error.message,
          ...(error.limit !== undefined && { limit: error.limit }),
        },
        409,
      );
    logger.error('api_error', { path: c.req.path, error });
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  app.notFound((c) =>
    c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404),
  );

  const body = async (c: Context): Promise<unknown> => {
    const length = Number(c.req.header('Content-Length') ?? 0);
    if (length > maxBodyBytes)
      throw new BadRequest('body', `must be at most ${maxBodyBytes} bytes`);
    const text = await c.req.text();
    if (text.length > maxBodyBytes)
      throw new BadRequest('body', `must be at most ${maxBodyBytes} bytes`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BadRequest('body', 'must be JSON');
    }
  };
  const signedIn = async (c: Context): Promise<string> => {
    const address = await auth.addressOf(c.req.header('Authorization'));
    if (!address) {
      throw new Unauthorized(
        'sign in first (POST /auth/sign-in) and send Authorization: Bearer <token>; the token is missing, unknown or expired',
      );
    }
    return address;
  };

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/ready', (c) =>
    ready()
      ? c.json({ ready: true })
      : c.json({ ready: false, message: 'catching up with the chain' }, 503),
  );

  app.get('/auth/nonce', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ nonce: await auth.issueNonce() });
  });
  app.post('/auth/sign-in', async (c) => {
    const request = await body(c);
    const { message, signature } = (request ?? {}) as Record<string, unknown>;
    return c.json(await auth.signIn(message, signature));
  });

  app.get('/subscriptions', async (c) => {
    const owner = await signedIn(c);
    return c.json({ items: await listSubscriptions(db, owner) });
  });
  app.post('/subscriptions', async (c) => {
    const owner = await signedIn(c);
    const request = parseSubscriptionRequest(await body(c));
    return c.json(await createSubscription(db, owner, request, limits), 201);
  });
  app.delete('/subscriptions/:id', async (c) => {
    const owner = await signedIn(c);
    await deleteSubscription(db, owner, c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/subscriptions/:id/test', async (c) => {
    const owner = await signedIn(c);
    const eventId = await queueTestEvent(db, owner, c.req.param('id'), chainId);
    wake();
    return c.json({ queued: true, eventId }, 202);
  });
  app.get('/subscriptions/:id/deliveries', async (c) => {
    const owner = await signedIn(c);
    const raw = c.req.query('limit');
    const limit = raw === undefined ? 50 : Number(raw);
    if (raw !== undefined && (!/^\d+$/.test(raw) || limit < 1 || limit > 200)) {
      throw new BadRequest('limit', 'must be an integer from 1 to 200');
    }
    return c.json({ items: await listDeliveries(db, owner, c.req.param('id'), limit) });
  });

  const atom = (c: Context, xml: string) => {
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=15');
    return c.body(xml);
  };
  const selfUrl = (c: Context) => new URL(c.req.path, c.req.url).href;
  app.get('/feeds/dao.atom', async (c) =>
    atom(c, await buildFeed(db, { publicUrl, selfUrl: selfUrl(c), chainId })),
  );
  app.get('/feeds/families/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.atom') || file.length === '.atom'.length) {
      throw new NotFound(`no feed ${file}: family feeds are /feeds/families/<family>.atom`);
    }
    const family = file.slice(0, -'.atom'.length);
    return atom(c, await buildFeed(db, { publicUrl, selfUrl: selfUrl(c), chainId, family }));
  });

  return app;
}
