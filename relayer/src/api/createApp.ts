import { Hono } from 'hono';
import { isAddress, isHex, type Hex } from 'viem';

import type { Logger } from '@charter/indexer';

import { acceptBallot, type AcceptContext } from '../ballots/acceptBallot';
import { parseBallot } from '../ballots/parseBallot';
import { getBallot, getSpending, listBallotsOfAccount } from '../database/ballots';
import { BadBallot, BallotRefused } from '../errors';
import { toBallot } from './toBallot';

export interface AppOptions extends AcceptContext {
  logger: Logger;
  /** Called after a ballot is accepted, so the queue sends it without waiting for its next pass. */
  onAccepted?: () => void;
  /** Whether the relayer can serve (its queue is running). */
  ready?: () => boolean;
}

/** A JSON body bigger than this is refused before it is parsed. */
export const maxBodyBytes = 64 * 1024;

/**
 * The relayer's HTTP API (relayer/README.md). Ballots are accepted one at a time: the rate limit and the
 * budget are checked and the ballot stored as one step, so two requests at once cannot both pass a gate
 * that only one of them fits.
 */
export function createApp(options: AppOptions) {
  const { db, chain, logger } = options;
  const app = new Hono();
  let accepting: Promise<unknown> = Promise.resolve();

  app.onError((error, c) => {
    if (error instanceof BallotRefused) {
      logger.info('ballot_refused', { status: error.status, error: error.code, ...error.extra });
      if (error.retryAfterSeconds !== undefined) {
        c.header('Retry-After', String(error.retryAfterSeconds));
      }
      return c.json(
        { error: error.code, ...error.extra, message: error.shortMessage },
        error.status,
      );
    }
    logger.error('request_failed', { path: c.req.path, error });
    return c.json(
      { error: 'unavailable', message: `The relayer could not check the ballot: ${error.message}` },
      503,
    );
  });

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/ready', (c) => {
    const ready = options.ready?.() ?? true;
    return c.json({ ready }, ready ? 200 : 503);
  });

  app.get('/status', async (c) => {
    const [balance, spending] = await Promise.all([
      chain.client.getBalance({ address: chain.account.address }),
      getSpending(db),
    ]);
    return c.json({
      relayer: chain.account.address.toLowerCase(),
      chainId: chain.chainId,
      balance: balance.toString(),
      budget: options.budget.toString(),
      spent: spending.spent.toString(),
      reserved: spending.reserved.toString(),
      queued: spending.pending,
      minVotingPower: options.minVotingPower.toString(),
      rateLimit: options.rateLimit,
    });
  });

  app.post('/ballots', async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > maxBodyBytes) {
      throw new BadBallot('body', `the body must be at most ${maxBodyBytes} bytes`);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new BadBallot('body', 'the body must be JSON');
    }
    const ballot = parseBallot(body);
    const turn = accepting.then(() => acceptBallot(options, ballot));
    accepting = turn.catch(() => {});
    const row = await turn;
    logger.info('ballot_accepted', { id: row.id, kind: row.kind, account: row.account });
    options.onAccepted?.();
    return c.json(toBallot(row), 202);
  });

  app.get('/ballots/:id', async (c) => {
    const id = c.req.param('id');
    if (!isHex(id, { strict: true }) || id.length !== 66) {
      throw new BadBallot(
        'id',
        'id must be a 32-byte 0x-prefixed hex hash (keccak256 of the signature)',
      );
    }
    const row = await getBallot(db, id.toLowerCase() as Hex);
    if (!row) return c.json({ error: 'not_found', message: `no ballot ${id}` }, 404);
    return c.json(toBallot(row));
  });

  app.get('/ballots', async (c) => {
    const account = c.req.query('account');
    if (!account || !isAddress(account, { strict: false })) {
      throw new BadBallot('account', 'account must be a 0x-prefixed 20-byte address');
    }
    const rows = await listBallotsOfAccount(db, account.toLowerCase() as Hex);
    return c.json({ items: rows.map(toBallot) });
  });

  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.path}` }, 404));
  return app;
}
