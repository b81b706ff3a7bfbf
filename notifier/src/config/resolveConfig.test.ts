import type { Deployment } from '@charter/contracts';
import { describe, expect, it } from 'vitest';

import { configFromEnv, parseDurations } from './config';
import { resolveConfig } from './resolveConfig';

const deployment: Deployment = {
  chainId: 31337,
  deploymentBlock: 1,
  deployer: '0x0000000000000000000000000000000000000001',
  contracts: {
    token: '0x0000000000000000000000000000000000000002',
    timelock: '0x0000000000000000000000000000000000000003',
    governor: '0x0000000000000000000000000000000000000004',
    evidenceRegistry: '0x0000000000000000000000000000000000000005',
    policyRegistry: '0x0000000000000000000000000000000000000006',
    modelRegistry: '0x0000000000000000000000000000000000000007',
  },
  transactions: [],
};
const base = { rpcUrl: 'http://127.0.0.1:8545', deployment };

describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    const config = resolveConfig(base);
    expect(config).toMatchObject({
      port: 42071,
      confirmations: 0,
      retrySchedule: [5_000, 30_000, 120_000, 600_000, 3_600_000],
      publicUrl: 'http://localhost:5173',
    });
  });

  it('allows private webhooks on the dev chain only, unless told', () => {
    expect(resolveConfig(base).allowPrivateWebhooks).toBe(true);
    const mainnet = { ...base, deployment: { ...deployment, chainId: 1 } };
    expect(resolveConfig(mainnet).allowPrivateWebhooks).toBe(false);
    expect(resolveConfig({ ...mainnet, allowPrivateWebhooks: true }).allowPrivateWebhooks).toBe(
      true,
    );
    expect(resolveConfig({ ...base, allowPrivateWebhooks: false }).allowPrivateWebhooks).toBe(
      false,
    );
    const env = configFromEnv({
      NOTIFIER_ALLOW_PRIVATE_WEBHOOKS: 'false',
      NOTIFIER_MAX_SUBSCRIPTIONS: '5',
      NOTIFIER_MAX_SUBSCRIPTIONS_PER_HOST: '7',
    });
    expect(resolveConfig({ ...base, ...env })).toMatchObject({
      allowPrivateWebhooks: false,
      maxSubscriptions: 5,
      maxSubscriptionsPerHost: 7,
    });
    expect(resolveConfig(base)).toMatchObject({
      maxSubscriptions: 20,
      maxSubscriptionsPerHost: 50,
    });
    expect(() =>
      resolveConfig({ ...base, ...configFromEnv({ NOTIFIER_ALLOW_PRIVATE_WEBHOOKS: 'yes' }) }),
    ).toThrow(/allowPrivateWebhooks must be true or false/);
  });

  it('reads a retry schedule with units', () => {
    expect(parseDurations('5s,30s,2m,10m,1h')).toEqual([
      5_000, 30_000, 120_000, 600_000, 3_600_000,
    ]);
    expect(parseDurations('250ms, 1')).toEqual([250, 1]);
  });

  it('refuses what cannot work, naming it', () => {
    expect(() => resolveConfig({ ...base, rpcUrl: 'ws://x' })).toThrow(/RPC URL must be http/);
    expect(() => resolveConfig({ ...base, publicUrl: 'localhost' })).toThrow(/public URL/);
    expect(() => resolveConfig({ ...base, retrySchedule: parseDurations('5s,soon') })).toThrow(
      /retry schedule/,
    );
    expect(() => resolveConfig({ ...base, confirmations: -1 })).toThrow(/confirmations/);
    expect(() => resolveConfig({ ...base, deployment: '/nonexistent.json' })).toThrow(
      /cannot load the deployment/,
    );
  });
});
