import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { charterTokenAbi, writeDeployment } from '@charter/contracts';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIndexer } from '../startIndexer';
import { dumpDatabase } from '../testing/dumpDatabase';
import { setUpEvidence, startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

let test: TestChain;
let deploymentFile: string;

beforeAll(async () => {
  test = await startTestChain();
  await setUpEvidence(test);
  // A long chain of small blocks, each with a transfer and two voting-power changes.
  for (let i = 0; i < 50; i++) {
    await test.chain.confirm(
      test.chain.wallet(test.keys[1 + (i % 3)]!).writeContract({
        address: test.deployment.contracts.token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [test.address(1 + ((i + 1) % 3)), parseEther(String(1 + i))],
        // Estimated gas can fall short when the block's second differs from the estimate's.
        gas: 300_000n,
      }),
    );
  }
  deploymentFile = writeDeployment(
    test.deployment,
    mkdtempSync(join(tmpdir(), 'charter-deployment-')),
  );
});
afterAll(() => test?.stop());

describe.each<DatabaseKind>(['pglite', 'postgres'])('kill -9 during backfill on %s', (kind) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  /** Runs the CLI until it has committed `untilBlock`, then kills it with SIGKILL; or until ready. */
  function runCli(database: TestDatabase, untilBlock: number | 'ready'): Promise<number> {
    const args = [
      '--import',
      'tsx',
      'src/cli.ts',
      '--rpc-url',
      test.anvil.rpcUrl,
      '--deployment',
      deploymentFile,
    ];
    args.push('--port', '0', '--log-level', 'debug');
    if (database.options.databaseUrl) args.push('--database-url', database.options.databaseUrl);
    else args.push('--data-dir', database.options.dataDir);
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: packageDir,
      // Two blocks per step, all of them final: many small commits to land a kill between.
      env: { ...process.env, INDEXER_MAX_BLOCK_RANGE: '2', INDEXER_FINALITY_DEPTH: '4' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      let last = -1;
      child.once('exit', (code, signal) =>
        signal === 'SIGKILL'
          ? resolve(last)
          : reject(new Error(`indexer exited: ${code ?? signal}`)),
      );
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { event: string; block?: number };
        if (entry.event === 'committed') last = entry.block!;
        if (
          (untilBlock === 'ready' && entry.event === 'ready') ||
          (typeof untilBlock === 'number' && last >= untilBlock)
        ) {
          child.kill('SIGKILL');
        }
      });
    });
  }

  it('resumes with nothing lost or doubled', async () => {
    const head = Number(await test.chain.public.getBlockNumber());
    const from = test.deployment.deploymentBlock;
    const database = await createTestDatabase(kind);
    databases.push(database);
    const killedAt = await runCli(database, from + Math.floor((head - from) / 2));
    expect(killedAt).toBeLessThan(head);
    await runCli(database, 'ready');

    const reference = await createTestDatabase(kind);
    databases.push(reference);
    const indexer = await startIndexer({
      rpcUrl: test.anvil.rpcUrl,
      deployment: test.deployment,
      ...reference.options,
      port: 0,
      logLevel: 'silent',
    });
    await indexer.ready();
    await waitForHead(test, indexer.status);
    await indexer.stop();

    const [resumed, uninterrupted] = await Promise.all([
      dumpDatabase(database.options),
      dumpDatabase(reference.options),
    ]);
    expect(resumed.checkpoint).toEqual(uninterrupted.checkpoint);
    expect(resumed.tables).toEqual(uninterrupted.tables);
  });
});
