import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from '@charter/contracts';
import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { activeProposal, signDelegation, signVote, votesCast } from './testing/testChain';
import { testDataDir } from './testing/testRelayer';

// The CLI as `npm start` runs it, killed with SIGKILL while its queue holds signed transactions: a new
// process on the same data directory sends each ballot exactly once.

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let test: TestChain;
let data: ReturnType<typeof testDataDir>;
let deploymentFile: string;

beforeAll(async () => {
  test = await startTestChain();
  data = testDataDir();
  deploymentFile = join(data.dataDir, 'deployment.json');
  writeFileSync(deploymentFile, JSON.stringify(test.deployment));
});
afterAll(async () => {
  await test?.chain.test.setAutomine(true);
  data?.drop();
  await test?.stop();
});

interface Running {
  child: ChildProcess;
  url: string;
  lines: string[];
}

async function startCli(port: number): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      '--rpc-url',
      test.anvil.rpcUrl,
      '--deployment',
      deploymentFile,
      '--data-dir',
      join(data.dataDir, 'queue'),
      '--port',
      String(port),
      '--poll-interval',
      '50',
    ],
    { env: { ...process.env, RELAYER_PRIVATE_KEY: test.key('relayer') }, stdio: 'pipe' },
  );
  const lines: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/ready`).catch(() => undefined))?.ok === true, lines);
  return { child, url, lines };
}

async function until(check: () => Promise<boolean> | boolean, lines: string[] = [], ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const post = async (url: string, body: unknown) => {
  const response = await fetch(`${url}/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id: string } };
};

describe('relayer CLI', () => {
  it('prints its options with --help', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--help'], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    for (const flag of [
      '--budget-eth',
      '--min-voting-power',
      '--rate-limit',
      'RELAYER_PRIVATE_KEY',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('survives SIGKILL mid-queue: every ballot mined exactly once', async () => {
    await test.chain.fund(test.keys[0]!, test.key('carol'), 1000n * 10n ** 18n);
    const proposalId = await activeProposal(test);
    const ballots = [
      await signVote(test, test.key('alice'), { proposalId, support: 1, reason: 'one' }),
      await signVote(test, test.key('bob'), { proposalId, support: 0, reason: 'two' }),
      await signDelegation(test, test.key('carol'), test.address('alice')),
    ];
    const port = await freePort();
    const first = await startCli(port);
    const nonceBefore = await test.chain.public.getTransactionCount({
      address: test.address('relayer'),
    });
    // Nothing is mined while the first process runs: its transactions wait in the node's pool.
    await test.chain.test.setAutomine(false);
    const ids: string[] = [];
    for (const ballot of ballots) {
      const answer = await post(first.url, ballot);
      expect(answer.status).toBe(202);
      ids.push(answer.body.id);
    }
    await until(() => first.lines.some((line) => line.includes('"ballot_signed"')), first.lines);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    await test.chain.test.setAutomine(true);
    await test.chain.test.mine({ blocks: 1 });
    const second = await startCli(port);
    try {
      await until(async () => {
        const states = await Promise.all(
          ids.map(
            async (id) =>
              ((await (await fetch(`${second.url}/ballots/${id}`)).json()) as { status: string })
                .status,
          ),
        );
        return states.every((status) => status === 'mined');
      }, second.lines);
      expect(await votesCast(test, proposalId, test.address('alice'))).toHaveLength(1);
      expect(await votesCast(test, proposalId, test.address('bob'))).toHaveLength(1);
      expect(
        await test.chain.public.getTransactionCount({ address: test.address('relayer') }),
      ).toBe(nonceBefore + 3);
      // One JSON object per line.
      const logged = second.lines.filter((line) => line.trim());
      expect(logged.every((line) => typeof JSON.parse(line).event === 'string')).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  });
});
