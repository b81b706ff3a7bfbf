import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createPublicClient, http, keccak256, toHex, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAnvil, type Anvil } from './anvil';
import { anvilPrivateKey, devAccountNames } from './devAccounts';
import {
  defaultDeployConfig,
  defaultEvidenceGame,
  deployCharter,
  DeployConfigError,
  DeployResumeError,
  parseDeployConfig,
  type DeployConfigOverrides,
} from './deploy';
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

const DAY = 60 * 60 * 24;
const deployer = privateKeyToAccount(anvilPrivateKey(0)).address;
const council = privateKeyToAccount(
  anvilPrivateKey(devAccountNames.indexOf('security council')),
).address;

describe('deployCharter', () => {
  it('deploys, wires, and round-trips through the deployments file', async () => {
    const warnings: string[] = [];
    const deployment = await deployCharter({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilPrivateKey(0),
      warn: (line) => warnings.push(line),
    });
    // No guardian by default: on a local chain that is a warning. No resolver either, but the default
    // resolution timeout outlasts a proposal, so governance can still uphold a dispute by vote.
    expect(warnings).toEqual([expect.stringMatching(/^no proposal guardian is configured/)]);
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
    expect(
      await read({ address: governor, abi: charterGovernorAbi, functionName: 'proposalGuardian' }),
    ).toBe(zeroAddress);
    expect(
      await read({ address: modelRegistry, abi: modelRegistryAbi, functionName: 'approvalWindow' }),
    ).toBe(defaultDeployConfig.approvalWindow);
    expect(
      await read({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'gameParameters',
      }),
    ).toEqual(defaultEvidenceGame);
    expect(
      await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'resolver' }),
    ).toBe(zeroAddress);
  });

  it('names the guardian with its term, the registry its approval window and suspension limit, and the evidence game and resolver', async () => {
    const warnings: string[] = [];
    const config = {
      proposalGuardian: council,
      guardianTerm: 90 * DAY,
      approvalWindow: 40 * DAY,
      maxSuspension: 10 * DAY,
      evidenceGame: { challengePeriod: 600, minBond: 5n * 10n ** 17n },
      resolver: council,
    };
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const before = (await client.getBlock()).timestamp;
    const { contracts } = await deployCharter({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilPrivateKey(0),
      config,
      warn: (line) => warnings.push(line),
    });
    const after = (await client.getBlock()).timestamp;
    const read = client.readContract;
    const { governor, modelRegistry } = contracts;
    expect(
      await read({ address: governor, abi: charterGovernorAbi, functionName: 'proposalGuardian' }),
    ).toBe(council);
    const termEnd = BigInt(
      await read({ address: governor, abi: charterGovernorAbi, functionName: 'guardianTermEnd' }),
    );
    expect(termEnd - BigInt(config.guardianTerm)).toBeGreaterThanOrEqual(before);
    expect(termEnd - BigInt(config.guardianTerm)).toBeLessThanOrEqual(after);
    expect(
      await read({ address: modelRegistry, abi: modelRegistryAbi, functionName: 'governor' }),
    ).toBe(governor);
    expect(
      await read({ address: modelRegistry, abi: modelRegistryAbi, functionName: 'approvalWindow' }),
    ).toBe(config.approvalWindow);
    expect(
      await read({ address: modelRegistry, abi: modelRegistryAbi, functionName: 'maxSuspension' }),
    ).toBe(config.maxSuspension);
    const { evidenceRegistry } = contracts;
    expect(
      await read({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'gameParameters',
      }),
    ).toEqual({ ...defaultEvidenceGame, ...config.evidenceGame });
    expect(
      await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'resolver' }),
    ).toBe(council);
    // A dev account is one key, not a council contract: said loudly.
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^the proposal guardian ${council} is an account without code`),
      ),
      expect.stringMatching(
        new RegExp(`^the dispute resolver ${council} is an account without code`),
      ),
    ]);
  });

  it('refuses an evidence game the registry would refuse, naming the field, sending nothing', async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const nonce = await client.getTransactionCount({ address: deployer });
    const deploy = (evidenceGame: Partial<typeof defaultEvidenceGame>) =>
      deployCharter({
        rpcUrl: anvil.rpcUrl,
        privateKey: anvilPrivateKey(0),
        config: { evidenceGame },
        warn: () => {},
      });
    await expect(deploy({ unbondingDelay: 3 * DAY })).rejects.toThrow(
      new DeployConfigError(
        'evidenceGame.unbondingDelay (259200 s) must be longer than challengePeriod (259200 s): an evaluator could withdraw its bond before its last result can be disputed',
      ),
    );
    await expect(deploy({ minBond: 0n })).rejects.toThrow(
      'evidenceGame.minBond must be a positive amount of wei below 2^96, not 0',
    );
    await expect(deploy({ disputerShareBps: 10_001 })).rejects.toThrow(
      'evidenceGame.disputerShareBps must be a whole number of basis points from 0 to 10000',
    );
    await expect(deploy({ resolutionTimeout: 400 * DAY })).rejects.toThrow(
      'evidenceGame.resolutionTimeout must be a positive whole number of seconds, at most 365 days',
    );
    expect(await client.getTransactionCount({ address: deployer })).toBe(nonce);
  });

  it("refuses an approval window shorter than a proposal's life, sending nothing", async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const nonce = await client.getTransactionCount({ address: deployer });
    await expect(
      deployCharter({
        rpcUrl: anvil.rpcUrl,
        privateKey: anvilPrivateKey(0),
        config: { approvalWindow: 7 * DAY },
        warn: () => {},
      }),
    ).rejects.toThrow(
      new DeployConfigError(
        "approvalWindow (604800 s) is shorter than a proposal's life (votingDelay + votingPeriod + lateQuorumVoteExtension + timelockDelay = 777600 s): no approval could execute before it expires; raise approvalWindow",
      ),
    );
    expect(await client.getTransactionCount({ address: deployer })).toBe(nonce);
  });

  it('keeps the new settings in the resume key, but not the permission to deploy a weak guardian', async () => {
    const progressFile = join(mkdtempSync(join(tmpdir(), 'charter-progress-')), 'progress.json');
    const config = { proposalGuardian: council, maxSuspension: 10 * DAY };
    const stopAfterToken = (line: string) => {
      if (line.startsWith('CharterToken: 0x')) throw new Error('stopped after the token');
    };
    const options = {
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilPrivateKey(0),
      progressFile,
      warn: () => {},
    };
    await expect(deployCharter({ ...options, config, log: stopAfterToken })).rejects.toThrow(
      'stopped after the token',
    );
    expect(existsSync(progressFile)).toBe(true);
    for (const changed of [
      { maxSuspension: 11 * DAY },
      { approvalWindow: 31 * DAY },
      { guardianTerm: 30 * DAY },
      { proposalGuardian: deployer },
      { evidenceGame: { minBond: 2n * 10n ** 18n } },
      { resolver: council },
    ]) {
      await expect(
        deployCharter({ ...options, config: { ...config, ...changed } }),
      ).rejects.toThrow(DeployResumeError);
    }
    const lines: string[] = [];
    await deployCharter({
      ...options,
      config: { ...config, allowWeakGuardian: true },
      log: (line) => lines.push(line),
    });
    expect(lines).toContainEqual(
      expect.stringMatching(/^CharterToken: 0x\w{40} \(done earlier\)$/),
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^proposal guardian: ${council} until \\d{4}-`));
    expect(existsSync(progressFile)).toBe(false);
  });

  it('on a real network, refuses no guardian or the deployer as guardian unless told, before sending anything', async () => {
    const real = await startAnvil({ args: ['--chain-id', '8453'] });
    try {
      const client = createPublicClient({ transport: http(real.rpcUrl) });
      const deploy = (config: DeployConfigOverrides) => {
        const warnings: string[] = [];
        const deployed = deployCharter({
          rpcUrl: real.rpcUrl,
          privateKey: anvilPrivateKey(0),
          config,
          warn: (line) => warnings.push(line),
        });
        return { deployed, warnings };
      };
      await expect(deploy({}).deployed).rejects.toThrow(
        /^no proposal guardian is configured: .* On chain 8453 \(not a local chain\) this is refused: name the security council's contract \(a multisig\) as proposalGuardian in the config file, or pass --allow-weak-guardian/,
      );
      await expect(deploy({ proposalGuardian: deployer }).deployed).rejects.toThrow(
        new RegExp(
          `^the proposal guardian is the deployer's own account ${deployer}: .*--allow-weak-guardian`,
        ),
      );
      expect(await client.getTransactionCount({ address: deployer })).toBe(0);

      // Told explicitly: deployed, with the weaknesses said aloud (a week to resolve is shorter than the
      // default proposal's nine days, and there is no resolver).
      const weak = deploy({
        proposalGuardian: deployer,
        allowWeakGuardian: true,
        evidenceGame: { resolutionTimeout: 7 * DAY },
      });
      const { contracts } = await weak.deployed;
      expect(weak.warnings).toEqual([
        expect.stringMatching(
          /^evidenceGame\.resolutionTimeout \(604800 s\) is shorter than a proposal's life \(777600 s\) and there is no resolver/,
        ),
        expect.stringMatching(/^the proposal guardian is the deployer's own account/),
        expect.stringMatching(/is an account without code/),
      ]);
      expect(
        await client.readContract({
          address: contracts.governor,
          abi: charterGovernorAbi,
          functionName: 'proposalGuardian',
        }),
      ).toBe(deployer);
    } finally {
      await real.stop();
    }
  }, 60_000);

  it('reads a config file strictly, naming the field that is wrong', () => {
    expect(
      parseDeployConfig(
        {
          votingPeriod: 604800,
          proposalThreshold: '10000000000000000000000',
          proposalGuardian: council.toLowerCase(),
          guardianTerm: 31536000,
        },
        'governance.json',
      ),
    ).toEqual({
      votingPeriod: 604800,
      proposalThreshold: 10_000n * 10n ** 18n,
      proposalGuardian: council,
      guardianTerm: 31536000,
    });
    expect(() => parseDeployConfig({ proposalGaurdian: council }, 'governance.json')).toThrow(
      /^governance\.json: unknown field proposalGaurdian; the fields are .*proposalGuardian/,
    );
    expect(() => parseDeployConfig({ proposalGuardian: '0x1234' }, 'g.json')).toThrow(
      'g.json: proposalGuardian must be an address',
    );
    expect(() => parseDeployConfig({ supply: 1000 }, 'g.json')).toThrow(
      'g.json: supply must be a decimal string of token units',
    );
    expect(() => parseDeployConfig({ maxSuspension: '14 days' }, 'g.json')).toThrow(
      'g.json: maxSuspension must be a whole number of seconds',
    );
    expect(
      parseDeployConfig(
        {
          evidenceGame: { challengePeriod: 259200, minBond: '1000000000000000000' },
          resolver: council.toLowerCase(),
        },
        'g.json',
      ),
    ).toEqual({
      evidenceGame: { challengePeriod: 259200, minBond: 10n ** 18n },
      resolver: council,
    });
    expect(() => parseDeployConfig({ evidenceGame: { minBond: 1 } }, 'g.json')).toThrow(
      'g.json: evidenceGame.minBond must be a decimal string of wei',
    );
    expect(() =>
      parseDeployConfig({ evidenceGame: { challengePeriod: '3 days' } }, 'g.json'),
    ).toThrow('g.json: evidenceGame.challengePeriod must be a whole number (of seconds)');
    expect(() => parseDeployConfig({ evidenceGame: { challengePerod: 1 } }, 'g.json')).toThrow(
      /^g\.json: unknown field evidenceGame\.challengePerod; its fields are challengePeriod, /,
    );
    expect(() => parseDeployConfig({ evidenceGame: [] }, 'g.json')).toThrow(
      'g.json: evidenceGame must be an object',
    );
    expect(() => parseDeployConfig({ resolver: 'council' }, 'g.json')).toThrow(
      'g.json: resolver must be an address',
    );
  });

  it('runs as `npm run deploy -- --rpc-url URL`, replacing a stale file but never a live deployment', async () => {
    const out = mkdtempSync(join(tmpdir(), 'charter-deployments-'));
    // A file left by a dev chain that was since restarted: its contracts are not on this chain.
    const stale = await deployCharter({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilPrivateKey(0),
      warn: () => {},
    });
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
    expect(stderr).toMatch(/^deploy: WARNING: no proposal guardian is configured/m);
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
