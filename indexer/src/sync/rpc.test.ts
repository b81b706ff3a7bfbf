import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { charterTokenAbi } from '@charter/contracts';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIndexer } from '../startIndexer';
import { dumpDatabase } from '../testing/dumpDatabase';
import { setUpEvidence, startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

interface Proxy {
  url: string;
  faults: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * A JSON-RPC proxy that misbehaves like a bad provider, with a fixed seed: drops connections, answers
 * 429 and 502, cuts responses short, never answers, delays, and refuses log ranges over 5 blocks.
 */
async function startFlakyProxy(target: string, seed = 42): Promise<Proxy> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const faults: Record<string, number> = {};
  const fault = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);
  // The first requests meet each fault once for sure; the rest at random.
  const planned = [0.01, 0.5, 0.07, 0.5, 0.13, 0.5, 0.17, 0.5, 0.2, 0.99, 0.5];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const r = planned.shift() ?? random();
    if (r < 0.06) {
      fault('dropped');
      return req.socket.destroy();
    }
    if (r < 0.12) {
      fault('429');
      return res.writeHead(429, { 'retry-after': '0' }).end();
    }
    if (r < 0.16) {
      fault('502');
      return res.writeHead(502).end('<html>bad gateway</html>');
    }
    if (r < 0.18) return fault('hung'); // never answers: the client must time out
    const request = JSON.parse(body) as {
      method?: string;
      params?: [{ fromBlock: string; toBlock: string }];
    };
    if (request.method === 'eth_getLogs') {
      const { fromBlock, toBlock } = request.params![0];
      if (Number(toBlock) - Number(fromBlock) >= 5) {
        fault('range');
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: (request as { id?: number }).id,
            error: { code: -32005, message: 'query exceeds max block range 5' },
          }),
        );
      }
    }
    if (r < 0.3) {
      fault('delayed');
      await new Promise((resolve) => setTimeout(resolve, 20 + random() * 150));
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await upstream.text();
    if (r > 0.97) {
      fault('truncated');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(text.slice(0, text.length / 2));
      return res.socket?.destroy();
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let test: TestChain;

beforeAll(async () => {
  test = await startTestChain();
  await setUpEvidence(test);
});
afterAll(() => test?.stop());

describe.each<DatabaseKind>(['pglite', 'postgres'])('a misbehaving RPC on %s', (kind) => {
  let proxy: Proxy;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    proxy = await startFlakyProxy(test.anvil.rpcUrl);
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
