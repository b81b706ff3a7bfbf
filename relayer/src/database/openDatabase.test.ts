import { randomBytes } from 'node:crypto';

import { startTestChain, type TestChain } from '@charter/indexer/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { activeProposal, signVote, votesCast } from '../testing/testChain';
import { post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';
import { getBallot, getSpending, insertBallot } from './ballots';
import { openDatabase } from './openDatabase';

// The same migrations and queue on PostgreSQL (`--database-url`) as on PGlite. PostgreSQL of these
// machines (and CI's), as the indexer's tests use it; `TEST_DATABASE_URL` points elsewhere.
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let test: TestChain;
let admin: ReturnType<typeof postgres>;
let databaseUrl: string;
const name = `charter_relayer_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (cause) {
    throw new Error(
      `PostgreSQL is required by this test and is unreachable at ${serverUrl} (set TEST_DATABASE_URL): ${(cause as Error).message}`,
    );
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  test = await startTestChain();
});
afterAll(async () => {
  await admin?.unsafe(`drop database if exists ${name} with (force)`);
  await admin?.end();
  await test?.stop();
});

describe('the queue on PostgreSQL', () => {
  it('migrates, stores a signature once, and sums what was spent', async () => {
    const database = await openDatabase({ databaseUrl, dataDir: 'unused' });
    try {
      const row = {
        id: `0x${'aa'.repeat(32)}`,
        kind: 'vote',
        account: `0x${'11'.repeat(20)}`,
        proposalId: 2n ** 255n,
        support: 1,
        nonce: 0n,
        signature: `0x${'bb'.repeat(65)}`,
        status: 'mined',
        reserved: 0n,
        cost: 123n,
        createdAt: 1,
        updatedAt: 1,
      } as const;
      expect(await insertBallot(database.db, row)).toBe(true);
      expect(await insertBallot(database.db, row)).toBe(false);
      expect((await getBallot(database.db, row.id))?.proposalId).toBe(2n ** 255n);
      expect(await getSpending(database.db)).toEqual({ spent: 123n, reserved: 0n, pending: 0 });
      await database.db.delete((await import('./schema')).ballots);
    } finally {
      await database.close();
    }
  });

  it('relays a vote with its queue in PostgreSQL', async () => {
    const data = testDataDir();
    const relayer = await relayTestChain(test, data.dataDir, { databaseUrl });
    try {
      const proposalId = await activeProposal(test);
      const accepted = await post(
        relayer,
        await signVote(test, test.key('alice'), { proposalId, support: 1 }),
      );
      expect(accepted.status).toBe(202);
      await waitForBallot(relayer, String(accepted.body.id), (b) => b.status === 'mined');
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
    } finally {
      await relayer.stop();
      data.drop();
    }
  });
});
