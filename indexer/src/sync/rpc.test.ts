import { charterTokenAbi } from '@charter/contracts';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIndexer } from '../startIndexer';
import { dumpDatabase } from '../testing/dumpDatabase';
import { startFaultyRpcProxy, type FaultyRpcProxy } from '../testing/faultyRpcProxy';
import { setUpEvidence, startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

let test: TestChain;

beforeAll(async () => {
  test = await startTestChain();
  await setUpEvidence(test);
});
afterAll(() => test?.stop());

describe.each<DatabaseKind>(['pglite', 'postgres'])('a misbehaving RPC on %s', (kind) => {
  let proxy: FaultyRpcProxy;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    // The first requests meet each fault once for sure; the rest at random.
    proxy = await startFaultyRpcProxy(test.anvil.rpcUrl, {
      logRangeCap: 5,
      planned: [0.01, 0.5, 0.07, 0.5, 0.13, 0.5, 0.17, 0.5, 0.2, 0.99, 0.5],
    });
  });
  afterAll(async () => {
    await proxy?.stop();
    for (const database of databases) await database.drop();
  });

  const transfer = (i: number) =>
    test.chain.confirm(
      test.chain.wallet(test.keys[1 + (i % 3)]!).writeContract({
        address: test.deployment.contracts.token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [test.address(5), parseEther(String(i + 1))],
        gas: 300_000n,
      }),
    );

  it('loses nothing, in backfill and live', async () => {
    const flakyDb = await createTestDatabase(kind);
    const directDb = await createTestDatabase(kind);
    databases.push(flakyDb, directDb);
    const common = {
      deployment: test.deployment,
      port: 0,
      pollingInterval: 20,
      logLevel: 'silent' as const,
    };
    const flaky = await startIndexer({
      ...common,
      ...flakyDb.options,
      rpcUrl: proxy.url,
      rpcTimeout: 500,
      rpcRetries: 30,
      finalityDepth: 8,
    });
    await flaky.ready();
    for (let i = 0; i < 12; i++) await transfer(i);
    await waitForHead(test, flaky.status, 60_000);
    await flaky.stop();

    const direct = await startIndexer({
      ...common,
      ...directDb.options,
      rpcUrl: test.anvil.rpcUrl,
    });
    await direct.ready();
    await waitForHead(test, direct.status);
    await direct.stop();

    const [flakyDump, directDump] = await Promise.all([
      dumpDatabase(flakyDb.options),
      dumpDatabase(directDb.options),
    ]);
    expect(flakyDump.checkpoint).toEqual(directDump.checkpoint);
    expect(flakyDump.tables).toEqual(directDump.tables);
    for (const name of ['dropped', '429', '502', 'hung', 'range', 'delayed', 'truncated']) {
      expect(proxy.faults[name], name).toBeGreaterThan(0);
    }
  });
});
