import type { Deployment } from '@charter/contracts';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';

import type { Database } from '../database/openDatabase';
import type { Logger } from '../log';
import type { SyncStatus } from '../sync/createSync';
import { openApiDocument } from './openapi';
import {
  addressParam,
  BadRequest,
  bytes32Param,
  enumListParam,
  enumParam,
  limitParam,
  NotFound,
  textParam,
  uint256Param,
} from './params';
import { getAccount, getDelegate, listDelegates } from './queries/delegates';
import { getGovernance } from './queries/getGovernance';
import { getProposal } from './queries/getProposal';
import { listProposals } from './queries/listProposals';
import { listVotes, proposalExists } from './queries/listVotes';
import { getModel, listFamilies, listModels } from './queries/models';
import { getPolicy, listEvaluators, listPolicies, listSuites } from './queries/registries';
import { getResult, listResults } from './queries/results';
import { streamChanges, type Subscribe } from './stream';
import { actionKinds, modelStatuses, proposalStates, resultStatuses } from './vocabulary';

export interface AppOptions {
  db: Database;
  deployment: Deployment;
  status: SyncStatus;
  subscribe: Subscribe;
  logger: Logger;
}

const found = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new NotFound(`no ${what}`);
  return value;
};

/** The HTTP API of API.md: route handlers parse parameters and call the query named for the answer. */
export function createApp({ db, deployment, status, subscribe, logger }: AppOptions): Hono {
  const app = new Hono();
  app.use('*', cors());

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

  const query = (c: Context) => c.req.query();

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/ready', (c) => {
    const body = { ready: status.ready, head: status.head, indexedBlock: status.indexedBlock };
    return c.json(body, status.ready ? 200 : 503);
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument));
  app.get('/stream', (c) => streamChanges(c, subscribe));
  app.get('/governance', async (c) =>
    c.json(found(await getGovernance(db, deployment), 'governance data yet')),
  );

  app.get('/proposals', async (c) => {
    const q = query(c);
    return c.json(
      await listProposals(db, {
        limit: limitParam(q),
        cursor: q.cursor,
        states: enumListParam(q, 'state', proposalStates),
        proposer: addressParam(q.proposer, 'proposer'),
        kind: enumParam(q, 'kind', actionKinds),
        q: textParam(q, 'q'),
        sort: enumParam(q, 'sort', ['newest', 'oldest', 'ending']) ?? 'newest',
      }),
    );
  });
  app.get('/proposals/:id', async (c) => {
    const id = uint256Param(c.req.param('id'), 'id');
    return c.json(found(await getProposal(db, deployment, id), `proposal ${id}`));
  });
  app.get('/proposals/:id/votes', async (c) => {
    const id = uint256Param(c.req.param('id'), 'id');
    const q = query(c);
    const params = {
      limit: limitParam(q),
      cursor: q.cursor,
      support: enumParam(q, 'support', ['for', 'against', 'abstain']),
      sort: enumParam(q, 'sort', ['newest', 'weight']) ?? 'newest',
    };
    if (!(await proposalExists(db, id))) throw new NotFound(`no proposal ${id}`);
    return c.json(await listVotes(db, id, params));
  });

  app.get('/delegates', async (c) => {
    const q = query(c);
    return c.json(
      await listDelegates(db, {
        limit: limitParam(q),
        cursor: q.cursor,
        q: textParam(q, 'q', 42),
        sort: enumParam(q, 'sort', ['power', 'delegators']) ?? 'power',
      }),
    );
  });
  app.get('/delegates/:address', async (c) => {
    const address = addressParam(c.req.param('address'), 'address')!;
    return c.json(found(await getDelegate(db, address), `delegate ${address}`));
  });
  app.get('/accounts/:address', async (c) => {
    const address = addressParam(c.req.param('address'), 'address')!;
    return c.json(await getAccount(db, address));
  });

  app.get('/models', async (c) => {
    const q = query(c);
    return c.json(
      await listModels(db, {
        limit: limitParam(q),
        cursor: q.cursor,
        family: textParam(q, 'family'),
        status: enumParam(q, 'status', modelStatuses),
        q: textParam(q, 'q'),
      }),
    );
  });
  app.get('/models/:id', async (c) => {
    const id = bytes32Param(c.req.param('id'), 'id')!;
    return c.json(found(await getModel(db, id), `model ${id}`));
  });
  app.get('/families', async (c) => c.json(await listFamilies(db)));

  app.get('/policies', async (c) => c.json(await listPolicies(db)));
  app.get('/policies/:id', async (c) => {
    const id = bytes32Param(c.req.param('id'), 'id')!;
    return c.json(found(await getPolicy(db, id), `policy ${id}`));
  });
  app.get('/suites', async (c) => c.json(await listSuites(db)));
  app.get('/evaluators', async (c) => c.json(await listEvaluators(db)));

  app.get('/results', async (c) => {
    const q = query(c);
    return c.json(
      await listResults(db, {
        limit: limitParam(q),
        cursor: q.cursor,
        model: bytes32Param(q.model, 'model'),
        suite: bytes32Param(q.suite, 'suite'),
        evaluator: addressParam(q.evaluator, 'evaluator'),
        status: enumParam(q, 'status', resultStatuses),
      }),
    );
  });
  app.get('/results/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^0x[0-9a-fA-F]{64}:0x[0-9a-fA-F]{64}$/.test(id)) {
      throw new BadRequest('id', 'must be a result id and a report digest joined by ":"');
    }
    return c.json(found(await getResult(db, id.toLowerCase()), `result ${id}`));
  });

  return app;
}
