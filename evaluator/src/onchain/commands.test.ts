// The on-chain commands as a person runs them: `npm run start -w evaluator -- ...` typed at the repository
// root while `npm start` runs, which writes its deployment under its data directory.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  anvilPrivateKey,
  deployCharter,
  DevChain,
  modelRegistryAbi,
  startAnvil,
  writeDeployment,
  type Anvil,
} from '@charter/contracts';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ExitCode } from '../errors.js';
import { modelDigest } from '../models/modelDigest.js';
import { OnChainExitCode } from './errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let anvil: Anvil;
let dataDir: string;
/** Stands in for the repository's deployments/, so that a local deploy's file there cannot interfere. */
let emptyDeployments: string;
beforeAll(async () => {
  anvil = await startAnvil();
  const deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
  // Where `npm start` keeps it: <CHARTER_DATA_DIR>/deployments/<chainId>.json.
  dataDir = await mkdtemp(join(tmpdir(), 'charter-data-'));
  writeDeployment(deployment, join(dataDir, 'deployments'));
  emptyDeployments = await mkdtemp(join(tmpdir(), 'charter-deployments-'));
  const chain = new DevChain(anvil.rpcUrl, deployment);
  const dir = join(ROOT, 'evaluator/models/mail-guard-v2');
  await chain.confirm(
    chain.wallet(anvilPrivateKey(1) as Hex).writeContract({
      address: deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: ['mail-guard', 'v2', await modelDigest(dir), `file://${dir}`, `0x${'0'.repeat(64)}`],
    }),
  );
}, 120_000);
afterAll(() => anvil?.stop());

/** `npm run start -w evaluator -- <args>` from the repository root, as the README shows it. */
async function npmRun(args: string[], env: Record<string, string>) {
  // npm records where it was run in INIT_CWD; one inherited from an outer npm must not stand in for it.
  const inherited = { ...process.env };
  delete inherited.INIT_CWD;
  delete inherited.CHARTER_DEPLOYMENT;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'start', '-w', 'evaluator', '--', ...args],
      { cwd: ROOT, env: { ...inherited, CHARTER_DEPLOYMENTS: emptyDeployments, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run start -w evaluator -- check', () => {
  it("resolves the typed path from the repository root and finds the demo's deployment", async () => {
    const check = await npmRun(
      ['check', 'evaluator/models/mail-guard-v2', '--rpc-url', anvil.rpcUrl],
      { CHARTER_DATA_DIR: dataDir },
    );
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/^mail-guard v2 \(0x\w{4}…\w{4}\) is candidate, not approved/);
    expect(check.code).toBe(OnChainExitCode.NotApproved);

    // CHARTER_DEPLOYMENT names the file, relative to where the command was typed.
    const named = await npmRun(
      ['check', 'evaluator/models/mail-guard-v2', '--rpc-url', anvil.rpcUrl],
      { CHARTER_DEPLOYMENT: relative(ROOT, join(dataDir, 'deployments/31337.json')) },
    );
    expect(named.stdout).toMatch(/is candidate, not approved/);
    expect(named.code).toBe(OnChainExitCode.NotApproved);
  }, 60_000);

  it('is bad input (exit 2) without a deployments file, naming the files and what to pass', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'charter-data-'));
    const missing = await npmRun(
      ['check', 'evaluator/models/mail-guard-v2', '--rpc-url', anvil.rpcUrl],
      { CHARTER_DATA_DIR: empty },
    );
    expect(missing.code).toBe(ExitCode.BadInput);
    expect(missing.stderr).toContain(join(emptyDeployments, '31337.json'));
    expect(missing.stderr).toContain(join(empty, 'deployments/31337.json'));
    expect(missing.stderr).toMatch(/pass --deployment <file> \(or set CHARTER_DEPLOYMENT\)/);

    // A named file that is not there, relative to where the command was typed.
    const named = await npmRun(
      ['check', 'evaluator/models/mail-guard-v2', '--rpc-url', anvil.rpcUrl],
      { CHARTER_DEPLOYMENT: 'no/such/deployment.json' },
    );
    expect(named.code).toBe(ExitCode.BadInput);
    expect(named.stderr).toContain(
      `cannot read deployments file: ${join(ROOT, 'no/such/deployment.json')} (named by CHARTER_DEPLOYMENT)`,
    );
  }, 60_000);
});
