import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Anvil } from './anvil';
import { loadDeployment } from './deployments';
import { anvilPrivateKey } from './devAccounts';
import { action, DevChain } from './devGovernance';
import { charterGovernorAbi, evidenceRegistryAbi, timelockControllerAbi } from './generated/abis';
import { startHardhatNode } from './hardhatNode';

// The deploy routine on a second node implementation, mining a block every second with automine off (as a
// real chain does), killed in the middle and run again.

const CHAIN_ID = 424242;
const deployerKey = anvilPrivateKey(0);
let node: Anvil;
beforeAll(async () => {
  node = await startHardhatNode({ chainId: CHAIN_ID, blockIntervalMs: 1000 });
}, 60_000);
afterAll(() => node?.stop());

/** `npm run deploy` as a user runs it; `killAfter` kills its whole process group once a line matches. */
function runDeploy(out: string, killAfter?: RegExp) {
  const child = spawn(
    'npm',
    [
      'run',
      '--silent',
      'deploy',
      '--',
      '--rpc-url',
      node.rpcUrl,
      '--private-key',
      deployerKey,
      '--out',
      out,
      // Not a local chain (424242): deploying without a guardian must be asked for.
      '--allow-weak-guardian',
    ],
    { cwd: join(import.meta.dirname, '..'), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    if (killAfter?.test(stderr) && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('exit', (code) => done({ code, stdout, stderr })),
  );
}

it('resumes a deployment killed mid-way, sending no step twice', async () => {
  const out = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
  const progressFile = join(out, `${CHAIN_ID}.progress.json`);

  const killed = await runDeploy(out, /CharterGovernor: 0x/);
  expect(killed.code).toBeNull(); // killed, not exited
  expect(existsSync(join(out, `${CHAIN_ID}.json`))).toBe(false);
  const before = JSON.parse(readFileSync(progressFile, 'utf8')) as {
    steps: Record<string, { address?: string }>;
  };
  expect(Object.keys(before.steps)).toEqual(
    expect.arrayContaining(['CharterToken', 'TimelockController', 'CharterGovernor']),
  );

  const resumed = await runDeploy(out);
  expect(resumed.stderr).toMatch(/resuming the deployment/);
  expect(resumed.stderr).toMatch(/deploy: WARNING: no proposal guardian is configured/);
  expect(resumed.stderr).toMatch(/CharterToken: 0x[0-9a-fA-F]{40} \(done earlier\)/);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toMatch(`deployed Charter to chain ${CHAIN_ID}`);
  expect(existsSync(progressFile)).toBe(false);

  const deployment = loadDeployment(CHAIN_ID, out);
  expect(deployment.contracts.token).toBe(before.steps.CharterToken!.address);
  const client = createPublicClient({ transport: http(node.rpcUrl) });
  // Six contracts and three role changes: nothing was sent twice.
  const deployer = privateKeyToAccount(deployerKey).address;
  expect(await client.getTransactionCount({ address: deployer })).toBe(9);
  expect(deployment.transactions).toHaveLength(9);
  const hasRole = (role: `0x${string}`, who: `0x${string}`) =>
    client.readContract({
      address: deployment.contracts.timelock,
      abi: timelockControllerAbi,
      functionName: 'hasRole',
      args: [role, who],
    });
  expect(await hasRole(keccak256(toHex('PROPOSER_ROLE')), deployment.contracts.governor)).toBe(
    true,
  );
  expect(await hasRole(toHex(0, { size: 32 }), deployer)).toBe(false);

  const again = await runDeploy(out);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already records a deployment on chain 424242/);
}, 180_000);

it('runs a proposal through its whole life without anvil-only methods', async () => {
  const out = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
  expect((await runDeploy(out)).code).toBe(0);
  const chain = new DevChain(node.rpcUrl, loadDeployment(CHAIN_ID, out));
  const [deployer, alice, bob] = [0, 1, 2].map(anvilPrivateKey) as [
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
  ];
  await chain.fund(deployer, alice, 300_000n * 10n ** 18n);
  await chain.fund(deployer, bob, 200_000n * 10n ** 18n);
  const { evidenceRegistry, governor } = chain.deployment.contracts;
  const lab = privateKeyToAccount(anvilPrivateKey(7)).address;
  const actions = [action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [lab, 'lab'])];
  const id = await chain.govern(alice, [alice, bob], actions, 'Admit the lab on Hardhat');
  const read = chain.public.readContract;
  expect(
    await read({ address: governor, abi: charterGovernorAbi, functionName: 'state', args: [id] }),
  ).toBe(7);
  expect(
    await read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'isEvaluator',
      args: [lab],
    }),
  ).toBe(true);
}, 180_000);
