// Dev mode is the stack's explicit flag (CHARTER_DEV_CHAIN=1), not the chain id: the same chain 31337 served
// without the flag offers no dev accounts, no advance-time control and no `/rpc`; with it, `/rpc` relays only
// the methods the dev tools use.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { open } from './open';
import { stack } from './stackInfo';

const rpc = (method: string, params: unknown[] = []) => ({
  data: { jsonrpc: '2.0', id: 1, method, params },
});

test('/rpc relays the dev tools’ methods and refuses any other, naming it', async ({ request }) => {
  const ok = await request.post('/rpc', rpc('eth_blockNumber'));
  expect(((await ok.json()) as { result: string }).result).toMatch(/^0x[0-9a-f]+$/);

  const { accounts, rpcUrl } = stack();
  for (const [method, params] of [
    ['anvil_setBalance', [accounts[9], '0xffffffffffffffffffff']],
    ['eth_accounts', []],
    ['eth_sendTransaction', [{ from: accounts[9], to: accounts[8], value: '0x1' }]],
    ['debug_traceCall', []],
  ] as const) {
    const refused = (await (await request.post('/rpc', rpc(method, [...params]))).json()) as {
      error?: { message: string };
    };
    expect(refused.error?.message).toContain(`${method} is not relayed`);
  }
  // The refused balance change never reached the chain.
  const balance = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getBalance',
      params: [accounts[9], 'latest'],
    }),
  });
  expect(((await balance.json()) as { result: string }).result).not.toBe('0xffffffffffffffffffff');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test.describe('chain 31337 without the dev flag', () => {
  let web: ChildProcess;
  let url: string;

  test.beforeAll(async () => {
    const { indexerUrl, rpcUrl, deployment } = stack();
    expect(deployment.chainId).toBe(31337);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: url,
      CHARTER_INDEXER_URL: indexerUrl,
      CHARTER_RPC_URL: rpcUrl,
      CHARTER_CHAIN_ID: '31337',
    };
    delete env.CHARTER_DEV_CHAIN;
    web = spawn(process.execPath, [join(process.cwd(), 'build/index.js')], {
      env,
      stdio: 'ignore',
    });
    await expect
      .poll(async () => (await fetch(url).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
  });

  test.afterAll(() => {
    web?.kill('SIGTERM');
  });

  test('has no /rpc', async ({ request }) => {
    const response = await request.post(`${url}/rpc`, rpc('eth_blockNumber'));
    expect(response.status()).toBe(404);
  });

  test('offers no dev account and no advance-time control', async ({ page }) => {
    const { proposals } = stack();
    await open(page, `${url}/proposals/${proposals.approve}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('section.devtools')).toHaveCount(0);
    await expect(page.getByLabel('Dev account')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Advance time' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await expect(page.getByText('use a dev account')).toHaveCount(0);
  });
});
