import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../log';
import { startIndexer } from '../startIndexer';
import { startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { deploymentAddresses } from './decodeLogs';
import { fetchLogs, type LogRange } from './fetchLogs';
import { createRpc } from './rpc';

/**
 * A metered provider in front of anvil: counts the methods it is asked, optionally caps `eth_getLogs`
 * ranges, and answers the next requests with 429 and a `Retry-After` when told to.
 */
interface MeteredProxy {
  url: string;
  calls: Map<string, number>;
  /** Largest `eth_getLogs` range it answers; larger ones are refused as providers do. */
  logRangeCap: number;
  /** Requests still to be answered with 429 and `Retry-After: 1`. */
  throttle: number;
  stop(): Promise<void>;
}

async function startMeteredProxy(target: string): Promise<MeteredProxy> {
  const proxy: MeteredProxy = {
    url: '',
    calls: new Map(),
    logRangeCap: Infinity,
    throttle: 0,
    stop: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (proxy.throttle > 0) {
      proxy.throttle--;
      return res.writeHead(429, { 'retry-after': '1' }).end('rate limited');
    }
    type Call = { id?: number; method: string; params?: [{ fromBlock: string; toBlock: string }] };
    const parsed = JSON.parse(body) as Call | Call[];
    for (const call of [parsed].flat()) {
      proxy.calls.set(call.method, (proxy.calls.get(call.method) ?? 0) + 1);
      if (call.method === 'eth_getLogs' && !Array.isArray(parsed)) {
        const { fromBlock, toBlock } = call.params![0];
        if (Number(toBlock) - Number(fromBlock) + 1 > proxy.logRangeCap) {
          const error = {
            code: -32005,
            message: `query exceeds max block range ${proxy.logRangeCap}`,
          };
          return res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error }));
        }
      }
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    res
      .writeHead(upstream.status, { 'content-type': 'application/json' })
      .end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

const logger = createLogger('silent');
let test: TestChain;
let proxy: MeteredProxy;

beforeAll(async () => {
  test = await startTestChain();
  proxy = await startMeteredProxy(test.anvil.rpcUrl);
});
afterAll(async () => {
  await proxy?.stop();
  await test?.stop();
});

const anvil = (method: string, params: unknown[]) =>
  createRpc({ url: test.anvil.rpcUrl, timeout: 5_000, retries: 0, logger }).request(method, params);

describe('a metered provider', () => {
  it('retries a 429 after the Retry-After it names', async () => {
    const rpc = createRpc({ url: proxy.url, timeout: 5_000, retries: 3, logger });
    proxy.throttle = 1;
    const started = performance.now();
    const head = await rpc.request<string>('eth_blockNumber', []);
    expect(Number(head)).toBeGreaterThan(0);
    expect(proxy.throttle).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('shrinks the eth_getLogs range to what the provider allows, and grows it back after', async () => {
    await anvil('anvil_mine', ['0x12c']); // 300 empty blocks
    const rpc = createRpc({ url: proxy.url, timeout: 5_000, retries: 3, logger });
    const addresses = deploymentAddresses(test.deployment);
    const range: LogRange = { size: 5_000, max: 5_000 };
    proxy.logRangeCap = 100;
    try {
      const spans: number[] = [];
      for (let from = 0; from <= 300;) {
        const fetched = await fetchLogs(rpc, addresses, from, 300, range, logger);
        spans.push(fetched.to - from + 1);
        from = fetched.to + 1;
      }
      expect(Math.max(...spans)).toBeLessThanOrEqual(100);
      expect(spans.length).toBeLessThanOrEqual(8);
    } finally {
      proxy.logRangeCap = Infinity;
    }
    for (let i = 0; i < 8; i++) await fetchLogs(rpc, addresses, 0, 300, range, logger);
    expect(range.size).toBe(5_000);
  });

  it('polls a chain with 2-second blocks about twice a block, not ten times', async () => {
    // 20 blocks 2 s apart to measure, then a block every 2 s and no automine, as on a real chain.
    await anvil('anvil_mine', ['0x14', '0x2']);
    await anvil('evm_setAutomine', [false]);
    await anvil('evm_setIntervalMining', [2]);
    const indexer = await startIndexer({
      rpcUrl: proxy.url,
      deployment: test.deployment,
      dataDir: 'memory://',
      port: 0,
      logLevel: 'silent',
    });
    try {
      await indexer.ready();
      proxy.calls.clear();
      const window = 8_000;
      await new Promise((resolve) => setTimeout(resolve, window));
      const headPolls =
        (proxy.calls.get('eth_getBlockByNumber') ?? 0) + (proxy.calls.get('eth_blockNumber') ?? 0);
      // 100 ms polling asks 80 times in 8 s; half the block time, about 8, plus a few for new blocks.
      expect(headPolls).toBeGreaterThanOrEqual(4);
      expect(headPolls).toBeLessThanOrEqual(16);
      await waitForHead(test, indexer.status, 10_000);
    } finally {
      await indexer.stop();
      await anvil('evm_setIntervalMining', [0]);
      await anvil('evm_setAutomine', [true]);
    }
  });
});
