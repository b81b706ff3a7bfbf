// One chain followed live by an indexer on each database at once, for the tests that compare them.
import { afterAll, beforeAll } from 'vitest';

import { createIndexerClient } from '../client';
import type { Indexer } from '../startIndexer';
import {
  followTestChain,
  setUpEvidence,
  startTestChain,
  waitForHead,
  type TestChain,
} from './testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './testDatabase';

export interface Follower {
  kind: DatabaseKind;
  database: TestDatabase;
  indexer: Indexer;
}

/**
 * For a describe block: a test chain with its evidence set up, followed by an indexer on PGlite and one on
 * PostgreSQL, started in `beforeAll` (`started` receives the chain) and stopped, databases dropped, in
 * `afterAll`. The last 16 blocks are followed live and can be replaced by a reorg.
 */
export function followOnEveryDatabase(started: (test: TestChain) => void) {
  let test: TestChain;
  const databases: TestDatabase[] = [];
  const followers: Follower[] = [];

  /** Another indexer from the chain's start, on a new database of `kind` (dropped with the others). */
  const start = async (kind: DatabaseKind): Promise<Follower> => {
    const database = await createTestDatabase(kind);
    databases.push(database);
    const indexer = await followTestChain(test, database, { finalityDepth: 16 });
    return { kind, database, indexer };
  };

  beforeAll(async () => {
    test = await startTestChain();
    started(test);
    await setUpEvidence(test);
    for (const kind of ['pglite', 'postgres'] as const) followers.push(await start(kind));
    for (const { indexer } of followers) await indexer.ready();
  });
  afterAll(async () => {
    for (const { indexer } of followers) await indexer.stop();
    for (const database of databases) await database.drop();
    await test?.stop();
  });

  return {
    followers,
    start,
    /** Every follower has indexed the chain's head. */
    caughtUp: () => Promise.all(followers.map(({ indexer }) => waitForHead(test, indexer.status))),
    clients: () =>
      followers.map(({ kind, indexer }) => ({ kind, client: createIndexerClient(indexer.url) })),
  };
}
