// The real stack for the browser tests and for looking at the app: anvil, the deployed contracts, a seeded
// demo DAO, the indexer (in memory), and the built web server. Run with tsx; stops everything on SIGTERM.
//   tsx tests/e2e/stack.ts            (E2E_PORT=4319 by default; writes .data/e2e/stack.json)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { anvilPrivateKey, deployCharter, DevChain, startAnvil } from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import { startIndexer } from '@charter/indexer';
import { privateKeyToAccount } from 'viem/accounts';

import { guardian, seed } from './seed';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const port = Number(process.env.E2E_PORT ?? 4319);
const log = (line: string) => console.log(`[stack] ${line}`);

/**
 * A fresh chain with the demo DAO. Tried up to three times: on a shared machine another process's anvil
 * can take the free port between its discovery and our bind, and the seed then fails.
 */
async function seededChain() {
  for (let attempt = 1; ; attempt++) {
    const anvil = await startAnvil();
    try {
      const deployment = await deployCharter({
        rpcUrl: anvil.rpcUrl,
        privateKey: anvilPrivateKey(0),
        // The security council (a dev account) guards and resolves disputes, as in the demo DAO; on anvil
        // an account without code is only warned about. The evidence game keeps its production defaults
        // (a 3-day window): the seed moves the clock past it.
        config: {
          proposalGuardian: privateKeyToAccount(anvilPrivateKey(guardian)).address,
          resolver: privateKeyToAccount(anvilPrivateKey(guardian)).address,
        },
        warn: (line) => log(`deploy: ${line}`),
      });
      const seeded = await seed(new DevChain(anvil.rpcUrl, deployment));
      return { anvil, deployment, seeded };
    } catch (error) {
      await anvil.stop();
      if (attempt === 3) throw error;
      log(`seeding failed (${(error as Error).message}); starting over`);
    }
  }
}

const { anvil, deployment, seeded } = await seededChain();
log(`anvil ${anvil.rpcUrl}; seeded ${JSON.stringify(seeded.proposals)}`);

const indexer = await startIndexer({
  rpcUrl: anvil.rpcUrl,
  deployment,
  dataDir: 'memory://',
  port: 0,
  logLevel: 'warn',
});
await indexer.ready();
log(`indexer ${indexer.url}`);

const web = spawn(process.execPath, [join(webDir, 'build/index.js')], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ORIGIN: `http://127.0.0.1:${port}`,
    CHARTER_INDEXER_URL: indexer.url,
    CHARTER_RPC_URL: anvil.rpcUrl,
    CHARTER_CHAIN_ID: String(deployment.chainId),
    CHARTER_DEV_CHAIN: '1', // a throwaway anvil of our own, as `npm start` runs it
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const webUrl = `http://127.0.0.1:${port}`;

const out = join(webDir, '.data/e2e/stack.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      webUrl,
      indexerUrl: indexer.url,
      rpcUrl: anvil.rpcUrl,
      deployment,
      ...seeded,
      accounts: Array.from(
        { length: devAccountNames.length },
        (_, i) => privateKeyToAccount(anvilPrivateKey(i)).address,
      ),
    },
    null,
    2,
  ),
);
log(`web ${webUrl}`);

let stopping = false;
indexer.done.catch((error: unknown) => {
  log(`indexer stopped: ${(error as Error).message}`);
  void stop();
});
async function stop() {
  if (stopping) return;
  stopping = true;
  web.kill('SIGTERM');
  await indexer.stop().catch(() => {});
  await anvil.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
web.on('exit', (code) => {
  if (!stopping) {
    log(`web server exited with ${code}`);
    void stop();
  }
});
