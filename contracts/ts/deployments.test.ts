import { getAddress } from 'viem';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  deploymentCandidates,
  DeploymentFileError,
  DeploymentNotFoundError,
  findDeployment,
  findLiveDeployment,
  repositoryRoot,
  userPath,
  writeDeployment,
  type Deployment,
} from './deployments';

const deployment: Deployment = {
  chainId: 31337,
  deploymentBlock: 1,
  deployer: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  contracts: {
    token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    timelock: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    governor: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    evidenceRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
    policyRegistry: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
    modelRegistry: '0x5FC8d32690cc91D4c9db942c14F5De9B6d17E0E2',
  },
  transactions: [],
};

describe('finding a deployment', () => {
  it('reads paths people type from where they typed them (INIT_CWD under npm run -w)', () => {
    expect(userPath('a/b.json', { INIT_CWD: '/home/me/charter' })).toBe(
      '/home/me/charter/a/b.json',
    );
    expect(userPath('/abs.json', { INIT_CWD: '/home/me' })).toBe('/abs.json');
    expect(userPath('x.json', {})).toBe(join(process.cwd(), 'x.json'));
  });

  it('tries the repository, then the running demo, for a chain', () => {
    expect(deploymentCandidates({ chainId: 31337, env: {} })).toEqual([
      join(repositoryRoot, 'deployments/31337.json'),
      join(repositoryRoot, '.data/deployments/31337.json'),
    ]);
    expect(
      deploymentCandidates({ chainId: 5, env: { CHARTER_DATA_DIR: 'demo', INIT_CWD: '/w' } }),
    ).toEqual([join(repositoryRoot, 'deployments/5.json'), '/w/demo/deployments/5.json']);
  });

  it('prefers the file named, then CHARTER_DEPLOYMENT, over any search', () => {
    const env = { CHARTER_DEPLOYMENT: 'env.json', INIT_CWD: '/w' };
    expect(deploymentCandidates({ file: 'opt.json', chainId: 1, env })).toEqual(['/w/opt.json']);
    expect(deploymentCandidates({ chainId: 1, env })).toEqual(['/w/env.json']);
  });

  it("finds the demo's deployment where npm start writes it", () => {
    const data = mkdtempSync(join(tmpdir(), 'charter-data-'));
    // A chain id with no committed deployments file, so the search reaches the data directory.
    writeDeployment({ ...deployment, chainId: 31999 }, join(data, 'deployments'));
    const found = findDeployment({ chainId: 31999, env: { CHARTER_DATA_DIR: data } });
    expect(found.chainId).toBe(31999);
    expect(found.contracts.modelRegistry.toLowerCase()).toBe(
      deployment.contracts.modelRegistry.toLowerCase(),
    );
  });

  it("skips a repository file whose contracts the chain lacks, for the running demo's", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
    const data = mkdtempSync(join(tmpdir(), 'charter-data-'));
    const stale = { ...deployment, chainId: 31998 };
    const live = {
      ...stale,
      contracts: { ...stale.contracts, governor: getAddress(`0x${'0d'.repeat(20)}`) },
    };
    writeDeployment(stale, repo);
    writeDeployment(live, join(data, 'deployments'));
    const env = { CHARTER_DEPLOYMENTS: repo, CHARTER_DATA_DIR: data };
    const hasCode = async (address: string) => address === live.contracts.governor;
    const found = await findLiveDeployment({ chainId: 31998, env }, hasCode);
    expect(found.contracts.governor).toBe(live.contracts.governor);

    const error = await findLiveDeployment({ chainId: 31998, env }, async () => false).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeploymentNotFoundError);
    expect((error as DeploymentNotFoundError).stale).toHaveLength(2);
    expect((error as Error).message).toMatch(/names contracts that chain has/);
  });

  it('names every file it looked for when there is none', () => {
    const data = mkdtempSync(join(tmpdir(), 'charter-data-'));
    let error: unknown;
    try {
      findDeployment({ chainId: 424242, env: { CHARTER_DATA_DIR: data } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentNotFoundError);
    expect((error as DeploymentNotFoundError).searched).toEqual([
      join(repositoryRoot, 'deployments/424242.json'),
      join(data, 'deployments/424242.json'),
    ]);
    expect((error as Error).message).toContain(join(data, 'deployments/424242.json'));
  });

  it('refuses a named file that is missing or malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
    expect(() => findDeployment({ file: join(dir, 'absent.json') })).toThrow(DeploymentFileError);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad/1.json'), '{"chainId": 1}');
    expect(() => findDeployment({ file: join(dir, 'bad/1.json') })).toThrow(
      /lacks chainId or deploymentBlock/,
    );
  });
});
