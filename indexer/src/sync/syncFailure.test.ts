import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { charterTokenAbi, writeDeployment } from '@charter/contracts';
import { parseEther } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../log';
import { startIndexer } from '../startIndexer';
import { startFaultyRpcProxy, type FaultyRpcProxy } from '../testing/faultyRpcProxy';
import { startTestChain, type TestChain } from '../testing/testChain';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
// What a node answers a request it finds invalid, for blocks it does have: retrying cannot help.
const invalid = { code: -32602, message: 'invalid params: unknown field `fromBlok`' };

let test: TestChain;
let proxy: FaultyRpcProxy;

beforeAll(async () => {
  test = await startTestChain();
});
afterEach(() => proxy?.stop());
afterAll(() => test?.stop());

const startProxy = async () =>
  (proxy = await startFaultyRpcProxy(test.anvil.rpcUrl, {
    rates: { dropped: 0, tooMany: 0, badGateway: 0, hung: 0, delayed: 0, truncated: 0 },
  }));

const transfer = () =>
  test.chain.confirm(
    test.chain.wallet(test.keys[1]!).writeContract({
      address: test.deployment.contracts.token,
      abi: charterTokenAbi,
      functionName: 'transfer',
      args: [test.address(2), parseEther('1')],
      gas: 300_000n,
    }),
  );

describe('a sync stopped by an error that retrying cannot fix', () => {
  it('says so: an error event, /ready 503 with the reason, done and ready() reject', async () => {
    await startProxy();
    const events: { event: string; error?: { name: string; message: string } }[] = [];
    const indexer = await startIndexer({
      rpcUrl: proxy.url,
      deployment: test.deployment,
      dataDir: 'memory://',
      port: 0,
      pollingInterval: 20,
      logger: createLogger('error', (line) => events.push(JSON.parse(line))),
    });
    try {
      await indexer.ready();
      expect((await fetch(`${indexer.url}/ready`)).status).toBe(200);

      // A block that is on the chain, whose logs the node refuses: not a shorter chain, a real failure.
      proxy.refuse('eth_getLogs', invalid);
      await transfer();
      await expect(indexer.done).rejects.toThrow(invalid.message);

      const response = await fetch(`${indexer.url}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        ready: false,
        failure: { name: 'RpcResponseError', message: invalid.message },
      });
      expect(indexer.status.failure).toEqual({
        name: 'RpcResponseError',
        message: invalid.message,
      });
      await expect(indexer.ready()).rejects.toThrow(invalid.message);
      const failed = events.find(({ event }) => event === 'sync_failed');
      expect(failed?.error).toMatchObject({ name: 'RpcResponseError', message: invalid.message });
    } finally {
      await indexer.stop();
    }
  });

  it('makes the CLI exit with code 1, so that a supervisor notices', async () => {
    await startProxy();
    const deploymentFile = writeDeployment(
      test.deployment,
      mkdtempSync(join(tmpdir(), 'charter-deployment-')),
    );
    const args = ['--import', 'tsx', 'src/cli.ts', '--rpc-url', proxy.url];
    args.push('--deployment', deploymentFile, '--data-dir', 'memory://', '--port', '0');
    args.push('--poll-interval', '20');
    const child = spawn(process.execPath, args, {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const events: string[] = [];
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      await new Promise<void>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`the CLI exited early with ${code}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const { event } = JSON.parse(line) as { event: string };
          events.push(event);
          if (event === 'ready') resolve();
        });
      });
      proxy.refuse('eth_getLogs', invalid);
      await transfer();
      expect(await exited).toBe(1);
      expect(events).toContain('sync_failed');
      expect(events.at(-1)).toBe('fatal');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
