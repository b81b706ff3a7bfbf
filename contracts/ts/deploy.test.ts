import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createPublicClient, http, keccak256, toHex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAnvil, type Anvil } from './anvil';
import { anvilPrivateKey } from './devAccounts';
import { deployCharter } from './deploy';
import { loadDeployment, writeDeployment } from './deployments';
import {
  charterGovernorAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  timelockControllerAbi,
} from './generated/abis';

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(() => anvil?.stop());

describe('deployCharter', () => {
  it('deploys, wires, and round-trips through the deployments file', async () => {
    const deployment = await deployCharter({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilPrivateKey(0),
    });
    const dir = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
    const loaded = loadDeployment(31337, dirname(writeDeployment(deployment, dir)));
    expect(loaded).toEqual(deployment);

    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const { token, timelock, governor, evidenceRegistry, policyRegistry, modelRegistry } =
      loaded.contracts;
    const read = client.readContract;
    expect(await read({ address: governor, abi: charterGovernorAbi, functionName: 'token' })).toBe(
      token,
    );
    expect(
      await read({ address: governor, abi: charterGovernorAbi, functionName: 'timelock' }),
    ).toBe(timelock);
    for (const [address, abi] of [
      [evidenceRegistry, evidenceRegistryAbi],
      [policyRegistry, policyRegistryAbi],
      [modelRegistry, modelRegistryAbi],
    ] as const) {
      expect(await read({ address, abi, functionName: 'governance' })).toBe(timelock);
    }
    const hasRole = (role: string, who: `0x${string}`) =>
      read({
        address: timelock,
        abi: timelockControllerAbi,
        functionName: 'hasRole',
        args: [role === 'admin' ? toHex(0, { size: 32 }) : keccak256(toHex(role)), who],
      });
    expect(await hasRole('PROPOSER_ROLE', governor)).toBe(true);
    expect(await hasRole('CANCELLER_ROLE', governor)).toBe(true);
    expect(await hasRole('EXECUTOR_ROLE', zeroAddress)).toBe(true);
    expect(await hasRole('admin', loaded.deployer)).toBe(false);
    expect(loaded.deploymentBlock).toBeGreaterThan(0);
  });

  it('runs as `npm run deploy -- --rpc-url URL`, replacing a stale file but never a live deployment', async () => {
    const out = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
    // A file left by a dev chain that was since restarted: its contracts are not on this chain.
    const stale = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
    const lost = `0x${'0e'.repeat(20)}` as const;
    writeDeployment({ ...stale, contracts: { ...stale.contracts, governor: lost } }, out);
    const deploy = () =>
      promisify(execFile)(
        'npm',
        ['run', '--silent', 'deploy', '--', '--rpc-url', anvil.rpcUrl, '--out', out],
        { cwd: join(import.meta.dirname, '..') },
      );
    const { stdout, stderr } = await deploy();
    expect(stderr).toMatch(/records contracts this chain does not have: deploying anew/);
    expect(stdout).toMatch(/deployed Charter to chain 31337/);
    expect(loadDeployment(31337, out).contracts.governor).not.toBe(lost);

    await expect(deploy()).rejects.toMatchObject({
      stderr: expect.stringMatching(/already records a deployment on chain 31337/),
    });
  }, 90_000);

  it('refuses an unreadable deployments file with its path', () => {
    expect(() => loadDeployment('/nonexistent/1.json')).toThrow(/\/nonexistent\/1\.json/);
  });
});
