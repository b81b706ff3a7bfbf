import type { Deployment } from '@charter/contracts';
import {
  disputeStatuses,
  postedResultStatuses,
  proposalKinds,
  proposalStates,
  registeredModelStatuses,
  voteSupports,
} from '@charter/contracts/protocol';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PublicClient } from 'viem';

import type { IndexedAt } from '../client/types';
import type { Database } from '../database/openDatabase';
import type { Logger } from '../log';
import type { SyncStatus } from '../sync/createSync';
import { createAnswerCache, etagMatches } from './answerCache';
import { openApiDocument } from './openapi';
import {
  addressParam,
  BadRequest,
  checkQuery,
  bytes32Param,
  disputeIdParam,
  enumListParam,
  enumParam,
  limitParam,
  NotFound,
  resultFilterParam,
  resultIdParam,
  textParam,
  uint256Param,
} from './params';
import { delegateSortNames, getAccount, getDelegate, listDelegates } from './queries/delegates';
import { getGovernance } from './queries/getGovernance';
import { getProposal } from './queries/getProposal';
import { listProposals, proposalSortNames } from './queries/listProposals';
import { listVotes, proposalExists, voteSortNames } from './queries/listVotes';
import { getModel, listFamilies, listModels } from './queries/models';
import { getDispute, listDisputes } from './queries/disputes';
import {
  getEvaluator,
  getPolicy,
  listEvaluators,
  listPolicies,
  listSuites,
} from './queries/registries';
import { getResult, listResults } from './queries/results';
import { listStatements, type StatementLimits } from './queries/statements';
import { maxStatementBodyBytes, publishStatement } from './publishStatement';
import { readAtIndexedBlock } from './readAtIndexedBlock';
import { createStreamHub, type Subscribe, type SyncEvent } from './stream';

export interface AppOptions {
  db: Database;
  deployment: Deployment;
  status: SyncStatus;
  subscribe: Subscribe;
  logger: Logger;
  /** Bound on the answers cached for the current block (`answerCacheMegabytes`); 64 MiB unless given. */
  cacheBytes?: number;
  /** Between the stream's heartbeats; 15 s unless given. */
  heartbeatMs?: number;
  /** Verifies statements signed by smart-contract wallets (ERC-1271); without it only keys can sign. */
  publicClient?: PublicClient;
  /** How often an address may store a statement, and how many versions are kept (the config's). */
  statementLimits?: StatementLimits;
  /** Unix seconds now (tests move it). */
  now?: () => number;
}

/**
 * How long a browser or shared cache may use an answer without asking again: not at all, as the next
 * block may come any moment and a page told of it must not be shown the one before; asking again costs
 * a 304 while the block has not moved.
 */
export const answerCacheControl = 'public, max-age=0, must-revalidate';

/** A longer URL gets a 414, longer headers (names and values, all together) a 431. */
export const maxUrlLength = 8 * 1024;
export const maxHeaderLength = 32 * 1024;

/** A request's path and query: the cache key, the same whichever host name the request came by. */
const pathAndQuery = (url: string) => url.slice(url.indexOf('/', url.indexOf('//') + 2));

const found = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new NotFound(`no ${what}`);
  return value;
};

/** The HTTP API of API.md: route handlers parse parameters and call the query named for the answer. */
export function createApp({
  db,
  deployment,
  status,
  subscribe,
  logger,
  cacheBytes = 64 << 20,
  heartbeatMs,
  publicClient,
  statementLimits,
  now,
}: AppOptions): Hono {
  // Subscribed first: the cache is emptied before any stream client hears of a new block.
  const cache = createAnswerCache({
    chainId: deployment.chainId,
    status,
    subscribe,
    maxBytes: cacheBytes,
  });
  // The stream also announces what this API stores itself (statements), beside the sync's changes.
  const local = new Set<(event: SyncEvent) => void>();
  const stream = createStreamHub(
    (listener) => {
      const unsubscribe = subscribe(listener);
      local.add(listener);
      return () => {
        unsubscribe();
        local.delete(listener);
      };
    },
    { heartbeatMs },
  );

  const allow = 'GET, HEAD, OPTIONS';
  const allowPost = 'GET, HEAD, POST, OPTIONS';
  const statementsPath = /^\/delegates\/[^/]+\/statements\/?$/;
  const app = new Hono();
  // CORS for any origin, in headers prepared before the handler runs. (hono/cors sets them on a
  // placeholder response instead, and merging that into the handler's copies every body through a web
  // stream: it cost more than the rest of a cached answer.)
  app.use('*', async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header(
      'Access-Control-Expose-Headers',
      'ETag, X-Indexed-Block, X-Indexed-Timestamp, Retry-After',
    );
    if (c.req.method !== 'OPTIONS') return next();
    c.header('Access-Control-Allow-Methods', statementsPath.test(c.req.path) ? allowPost : allow);
    const requested = c.req.header('Access-Control-Request-Headers');
    if (requested) c.header('Access-Control-Allow-Headers', requested);
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });
  app.use('*', async (c, next) => {
    if (c.req.url.length > maxUrlLength) {
      return c.json(
        { error: 'uri_too_long', message: `the URL is longer than ${maxUrlLength} characters` },
        414,
      );
    }
    let headerLength = 0;
    c.req.raw.headers.forEach((value, name) => (headerLength += name.length + value.length));
    if (headerLength > maxHeaderLength) {
      return c.json(
        {
          error: 'headers_too_large',
          message: `the headers are longer than ${maxHeaderLength} characters`,
        },
        431,
      );
    }
    checkQuery(c.req.url);
    await next();
    // Only answers tied to a block say how to cache them; errors and the rest are not to be stored.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  app.onError((error, c) => {
    if (error instanceof BadRequest) {
      return c.json(
        { error: 'bad_request', parameter: error.parameter, message: error.message },
        400,
      );
    }
    if (error instanceof NotFound)
      return c.json({ error: 'not_found', message: error.message }, 404);
    logger.error('api_error', { path: c.req.path, error });
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.path}` }, 404));

  /** Any other method than those routed gets a 405 naming the allowed ones. */
  const otherMethods = (path: string, allowed: string) =>
    app.all(path, (c) => {
      c.header('Allow', allowed);
      return c.json(
        {
          error: 'method_not_allowed',
          message: `${c.req.method} is not allowed here; use ${allowed}`,
        },
        405,
      );
    });
  /** A read-only route: GET (and HEAD). */
  const get = (path: string, handler: (c: Context) => Response | Promise<Response>) => {
    app.get(path, handler);
    otherMethods(path, allow);
  };

  /**
   * Answers with what `read` finds at the latest indexed block, read in one snapshot: the block travels
   * in the X-Indexed-Block and X-Indexed-Timestamp headers, and in the body of object answers. The
   * answer is cached until the block moves (`createAnswerCache`), and its ETag names the block: asked
   * again with it while the block has not moved, the API answers 304 without reading anything.
   */
  const answer = async <T extends object>(
    c: Context,
    read: (tx: Database, at: IndexedAt) => Promise<T | undefined>,
    what = 'such thing',
  ) => {
    const url = pathAndQuery(c.req.url);
    const ifNoneMatch = c.req.header('If-None-Match');
    const tag = (at: { etag: string; indexedBlock: number; indexedTimestamp: number }) => {
      c.header('ETag', at.etag);
      c.header('Cache-Control', answerCacheControl);
      c.header('X-Indexed-Block', String(at.indexedBlock));
      c.header('X-Indexed-Timestamp', String(at.indexedTimestamp));
    };
    const current = ifNoneMatch ? cache.currentEtag(url) : undefined;
    if (current && etagMatches(ifNoneMatch, current.etag, false)) {
      tag(current);
      return c.body(null, 304);
    }
    const answered = await cache.answer(url, async () => {
      const { at, value } = await readAtIndexedBlock(db, read);
      const body = found(value, what);
      const { indexedBlock, indexedTimestamp } = at;
      const json = JSON.stringify(
        Array.isArray(body) ? body : { ...body, indexedBlock, indexedTimestamp },
      );
      return { at, json };
    });
    tag(answered);
    // The sync may have moved while this was read: the client's copy can match the answer's block.
    if (etagMatches(ifNoneMatch, answered.etag, true)) return c.body(null, 304);
    c.header('Content-Type', 'application/json');
    return c.body(answered.body, 200);
  };
  const query = (c: Context) => c.req.query();

  get('/health', (c) => c.json({ ok: true }));
  get('/ready', (c) => {
    const { ready, head, indexedBlock, failure } = status;
    return c.json({ ready, head, indexedBlock, ...(failure && { failure }) }, ready ? 200 : 503);
  });
  get('/openapi.json', (c) => c.json(openApiDocument));
  get('/stream', (c) => stream.respond(c));
  get('/governance', (c) =>
    answer(c, (tx) => getGovernance(tx, deployment), 'governance data yet'),
  );

  get('/proposals', (c) => {
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      states: enumListParam(q, 'state', proposalStates),
      proposer: addressParam(q.proposer, 'proposer'),
      kind: enumParam(q, 'kind', proposalKinds),
      q: textParam(q, 'q'),
      sort: enumParam(q, 'sort', proposalSortNames) ?? 'newest',
    };
    return answer(c, (tx, at) => listProposals(tx, { ...params, now: at.indexedTimestamp }));
  });
  get('/proposals/:id', (c) => {
    const id = uint256Param(c.req.param('id')!, 'id');
    return answer(
      c,
      (tx, at) => getProposal(tx, deployment, id, at.indexedTimestamp),
      `proposal ${id}`,
    );
  });
  get('/proposals/:id/votes', (c) => {
    const id = uint256Param(c.req.param('id')!, 'id');
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      support: enumParam(q, 'support', voteSupports),
      sort: enumParam(q, 'sort', voteSortNames) ?? 'newest',
    };
    return answer(
      c,
      async (tx) => ((await proposalExists(tx, id)) ? listVotes(tx, id, params) : undefined),
      `proposal ${id}`,
    );
  });

  get('/delegates', (c) => {
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      q: textParam(q, 'q', 42),
      sort: enumParam(q, 'sort', delegateSortNames) ?? 'power',
    };
    return answer(c, (tx) => listDelegates(tx, params));
  });
  get('/delegates/:address', (c) => {
    const address = addressParam(c.req.param('address')!, 'address')!;
    return answer(c, (tx) => getDelegate(tx, address), `delegate ${address}`);
  });
  app.get('/delegates/:address/statements', (c) => {
    const address = addressParam(c.req.param('address')!, 'address')!;
    const q = query(c);
    const params = { limit: limitParam(q), cursor: q.cursor };
    return answer(c, (tx) => listStatements(tx, address, params));
  });
  app.post(
    '/delegates/:address/statements',
    bodyLimit({
      maxSize: maxStatementBodyBytes,
      onError: (c) =>
        c.json(
          {
            error: 'payload_too_large',
            message: `the body is larger than ${maxStatementBodyBytes} bytes`,
          },
          413,
        ),
    }),
    async (c) => {
      const address = addressParam(c.req.param('address')!, 'address')!;
      const response = await publishStatement(c, address, {
        db,
        deployment,
        publicClient,
        limits: statementLimits,
        now,
      });
      if (response.status === 201) {
        // Committed: no cached answer or ETag from before may stand, and pages showing it refresh.
        cache.offchainChanged();
        const event: SyncEvent = {
          changes: [{ kind: 'delegate', id: address, block: status.indexedBlock }],
        };
        for (const listener of local) listener(event);
        logger.info('statement_stored', { delegate: address });
      }
      return response;
    },
  );
  otherMethods('/delegates/:address/statements', allowPost);
  get('/accounts/:address', (c) => {
    const address = addressParam(c.req.param('address')!, 'address')!;
    return answer(c, (tx) => getAccount(tx, address));
  });

  get('/models', (c) => {
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      family: textParam(q, 'family'),
      status: enumParam(q, 'status', registeredModelStatuses),
      q: textParam(q, 'q'),
    };
    return answer(c, (tx) => listModels(tx, params));
  });
  get('/models/:id', (c) => {
    const id = bytes32Param(c.req.param('id')!, 'id')!;
    return answer(c, (tx) => getModel(tx, id), `model ${id}`);
  });
  get('/families', (c) => answer(c, (tx) => listFamilies(tx)));

  get('/policies', (c) => answer(c, (tx) => listPolicies(tx)));
  get('/policies/:id', (c) => {
    const id = bytes32Param(c.req.param('id')!, 'id')!;
    return answer(c, (tx) => getPolicy(tx, id), `policy ${id}`);
  });
  get('/suites', (c) => answer(c, (tx) => listSuites(tx)));
  get('/evaluators', (c) => answer(c, (tx) => listEvaluators(tx)));
  get('/evaluators/:address', (c) => {
    const address = addressParam(c.req.param('address')!, 'address')!;
    return answer(c, (tx) => getEvaluator(tx, address), `evaluator ${address}`);
  });

  get('/results', (c) => {
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      model: bytes32Param(q.model, 'model'),
      suite: bytes32Param(q.suite, 'suite'),
      evaluator: addressParam(q.evaluator, 'evaluator'),
      status: enumParam(q, 'status', postedResultStatuses),
    };
    return answer(c, (tx) => listResults(tx, params));
  });
  get('/results/:id', (c) => {
    const id = resultIdParam(c.req.param('id')!, 'id');
    return answer(c, (tx) => getResult(tx, id), `result ${id}`);
  });

  get('/disputes', (c) => {
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      status: enumParam(q, 'status', disputeStatuses),
      evaluator: addressParam(q.evaluator, 'evaluator'),
      disputer: addressParam(q.disputer, 'disputer'),
      model: bytes32Param(q.model, 'model'),
      result: resultFilterParam(q.result, 'result'),
    };
    return answer(c, (tx, at) => listDisputes(tx, { ...params, now: at.indexedTimestamp }));
  });
  get('/disputes/:id', (c) => {
    const id = disputeIdParam(c.req.param('id')!, 'id');
    return answer(c, (tx, at) => getDispute(tx, id, at.indexedTimestamp), `dispute ${id}`);
  });

  return app;
}
