import type { Deployment } from '@charter/contracts';
import { parseEther } from 'viem';
import { describe, expect, it } from 'vitest';

import { configFromEnv } from './config';
import { resolveConfig } from './resolveConfig';

const deployment = (chainId: number) =>
  ({ chainId, deploymentBlock: 0, contracts: {} }) as unknown as Deployment;
const base = {
  rpcUrl: 'http://127.0.0.1:8545',
  deployment: deployment(31337),
  privateKey: `0x${'11'.repeat(32)}` as const,
};

describe('resolveConfig', () => {
  it('applies the documented defaults, with a 10 ETH budget on the dev chain', () => {
    const config = resolveConfig(base);
    expect(config).toMatchObject({
      port: 42070,
      host: '127.0.0.1',
      dataDir: '.data/relayer',
      rateLimit: 20,
      budget: parseEther('10'),
      minVotingPower: parseEther('1'),
    });
  });

  it('requires a budget on any other chain', () => {
    expect(() => resolveConfig({ ...base, deployment: deployment(1) })).toThrow(
      /a budget is required on chain 1/,
    );
    expect(resolveConfig({ ...base, deployment: deployment(1), budgetEth: '0.5' }).budget).toBe(
      parseEther('0.5'),
    );
  });

  it('refuses what cannot work, naming it', () => {
    expect(() => resolveConfig({ ...base, privateKey: '0x12' })).toThrow(/RELAYER_PRIVATE_KEY/);
    expect(() => resolveConfig({ ...base, privateKey: '' as never })).toThrow(
      /set RELAYER_PRIVATE_KEY/,
    );
    expect(() => resolveConfig({ ...base, budgetEth: 'ten' })).toThrow(/budget must be a decimal/);
    expect(() => resolveConfig({ ...base, minVotingPower: '-1' })).toThrow(/minVotingPower/);
    expect(() => resolveConfig({ ...base, rateLimit: 0 })).toThrow(/rateLimit/);
    expect(() => resolveConfig({ ...base, rpcUrl: 'ws://x' })).toThrow(/http/);
    expect(() => resolveConfig({ ...base, deployment: '/nonexistent.json' })).toThrow(
      /cannot load the deployment/,
    );
  });

  it('maps the environment in one place, the key only from RELAYER_PRIVATE_KEY', () => {
    expect(
      configFromEnv({
        RELAYER_PRIVATE_KEY: '0xabc',
        RELAYER_BUDGET_ETH: '2',
        RELAYER_RATE_LIMIT: '5',
        RELAYER_MIN_VOTING_POWER: '0.5',
        INDEXER_URL: 'http://127.0.0.1:42069',
        RELAYER_PORT: '',
      }),
    ).toEqual({
      privateKey: '0xabc',
      budgetEth: '2',
      rateLimit: 5,
      minVotingPower: '0.5',
      indexerUrl: 'http://127.0.0.1:42069',
    });
  });
});
