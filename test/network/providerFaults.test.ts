// Charter behind a bad hosted provider: a proxy in front of anvil that caps `eth_getLogs` at 100 blocks,
// answers some requests with 429 and `Retry-After`, delays others and drops a few. The indexer reaches the
// head with the same index as one built without the proxy, and an evaluator's `watch`, whose chain reads and
// writes and whose indexer all go through the proxy, posts its result exactly once.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  evidenceRegistryAbi,
  modelRegistryAbi,
  type Anvil,
  type DevChain,
} from '@charter/contracts';
import { connectCharter, modelDigest, watch } from '@charter/evaluator';
import { startIndexer } from '@charter/indexer';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startWatcherChain, watcherKeys } from '../../evaluator/src/testing/watcherChain';
import { ROOT } from '../../stack/src/config';
import { dumpDatabase } from '../../indexer/src/testing/dumpDatabase';
import { startFaultyRpcProxy, type FaultyRpcProxy } from '../../indexer/src/testing/faultyRpcProxy';
import { createTestDatabase, type TestDatabase } from '../../indexer/src/testing/testDatabase';

const { alice, evaluator: evaluatorKey } = watcherKeys;
const model = join(ROOT, 'evaluator/models/mail-guard-v1');

let anvil: Anvil;
let chain: DevChain;
let proxy: FaultyRpcProxy;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  ({ anvil, chain } = await startWatcherChain());
  const { modelRegistry } = chain.deployment.contracts;
  // Enough blocks that a backfill cannot fetch them in one capped range.
  await chain.public.request({ method: 'anvil_mine' as 'eth_chainId', params: ['0x12c'] as [] });
  await chain.confirm(
    chain.wallet(alice).writeContract({
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: [
        'mail-guard',
        'v1',
        await modelDigest(model),
        `file://${model}`,
        `0x${'0'.repeat(64)}`,
      ],
    }),
  );
  proxy = await startFaultyRpcProxy(anvil.rpcUrl, {
    logRangeCap: 100,
    retryAfter: 1,
    rates: { dropped: 0.04, tooMany: 0.04, badGateway: 0, hung: 0, delayed: 0.15, truncated: 0 },
  });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  for (const database of databases) await database.drop();
  await anvil?.stop();
});

const postedResults = async () =>
  (
    await chain.public.getContractEvents({
      address: chain.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      eventName: 'ResultSubmitted',
      fromBlock: 0n,
    })
  ).length;

const until = async (what: string, holds: () => Promise<boolean> | boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
};

it('indexes everything and posts every result exactly once behind a faulty provider', async () => {
  const [behindDb, directDb] = [
    await createTestDatabase('pglite'),
    await createTestDatabase('pglite'),
  ];
  databases.push(behindDb, directDb);
  const indexer = await startIndexer({
    ...behindDb.options,
    rpcUrl: proxy.url,
    deployment: chain.deployment,
    port: 0,
    rpcTimeout: 2_000,
    rpcRetries: 30,
    logLevel: 'silent',
  });
  const controller = new AbortController();
  const events: string[] = [];
  let watching: Promise<void> | undefined;
  try {
    await indexer.ready();
    watching = watch(
      connectCharter({ rpcUrl: proxy.url, deployment: chain.deployment, privateKey: evaluatorKey }),
      {
        indexer: indexer.url,
        stateDir: await mkdtemp(join(tmpdir(), 'watch-')),
        pollIntervalMs: 200,
        signal: controller.signal,
        log: (event) => events.push(event),
      },
    );
    await until('the result on the chain', async () => (await postedResults()) >= 1, 90_000);
    const atHead = async () => {
      const head = await chain.public.getBlock();
      return (
        indexer.status.indexedBlock === Number(head.number) &&
        indexer.status.indexedHash === head.hash
      );
    };
    await until('the indexer at the head', atHead, 30_000);
    await new Promise((ok) => setTimeout(ok, 2_000)); // more looks at the chain: nothing else is sent
  } finally {
    controller.abort();
    await watching;
    await indexer.stop();
  }
  expect(await postedResults()).toBe(1);
  expect(events.filter((event) => event === 'watch.submitted')).toHaveLength(1);

  const direct = await startIndexer({
    ...directDb.options,
    rpcUrl: anvil.rpcUrl,
    deployment: chain.deployment,
    port: 0,
    logLevel: 'silent',
  });
  await direct.ready();
  await direct.stop();
  const [behind, straight] = await Promise.all([
    dumpDatabase(behindDb.options),
    dumpDatabase(directDb.options),
  ]);
  expect(behind.checkpoint).toEqual(straight.checkpoint);
  expect(behind.tables).toEqual(straight.tables);
  for (const name of ['range', '429', 'dropped', 'delayed']) {
    expect(proxy.faults[name], name).toBeGreaterThan(0);
  }
});
