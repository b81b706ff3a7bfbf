import { loadDeployment, type Deployment } from '@charter/contracts';

import { ConfigError } from '../errors';
import { defaultConfig, type NotifierConfig, type NotifierOptions } from './config';

export type ResolvedConfig = Omit<NotifierConfig, 'deployment' | 'allowPrivateWebhooks'> & {
  deployment: Deployment;
  allowPrivateWebhooks: boolean;
};

/** The dev chain (anvil, hardhat): its webhook receivers run on loopback. */
const devChainId = 31337;

/** Applies the defaults, loads the deployment, and refuses what cannot work with a clear message. */
export function resolveConfig(options: NotifierOptions): ResolvedConfig {
  const config = { ...defaultConfig, ...options };
  if (!config.rpcUrl) throw new ConfigError('an RPC URL is required (--rpc-url or RPC_URL)');
  if (!/^https?:\/\//.test(config.rpcUrl)) {
    throw new ConfigError('the RPC URL must be http(s)', { rpcUrl: config.rpcUrl });
  }
  let publicUrl: URL;
  try {
    publicUrl = new URL(config.publicUrl);
  } catch {
    throw new ConfigError('the public URL must be an absolute URL (--public-url)', {
      publicUrl: config.publicUrl,
    });
  }
  if (!['http:', 'https:'].includes(publicUrl.protocol)) {
    throw new ConfigError('the public URL must be http(s)', { publicUrl: config.publicUrl });
  }
  const integers = [
    'port',
    'confirmations',
    'pollingInterval',
    'maxBlockRange',
    'attemptTimeout',
    'deliveryConcurrency',
    'nonceTtl',
    'sessionTtl',
    'maxSubscriptions',
    'maxSubscriptionsPerHost',
  ] as const;
  for (const key of integers) {
    if (key === 'pollingInterval' && config[key] === undefined) continue;
    if (!Number.isInteger(config[key]) || config[key]! < 0) {
      throw new ConfigError(`${key} must be a non-negative integer`, { [key]: config[key] });
    }
  }
  for (const key of ['maxBlockRange', 'attemptTimeout', 'deliveryConcurrency'] as const) {
    if (config[key] < 1) throw new ConfigError(`${key} must be at least 1`);
  }
  if (!config.retrySchedule.every((wait) => Number.isInteger(wait) && wait >= 0)) {
    throw new ConfigError(
      'the retry schedule must be waits like 5s,30s,2m,10m,1h (units ms, s, m, h)',
      { retrySchedule: config.retrySchedule },
    );
  }
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(config.logLevel)) {
    throw new ConfigError('logLevel must be debug, info, warn, error or silent', {
      logLevel: config.logLevel,
    });
  }
  if (
    config.allowPrivateWebhooks !== undefined &&
    typeof config.allowPrivateWebhooks !== 'boolean'
  ) {
    throw new ConfigError('allowPrivateWebhooks must be true or false', {
      allowPrivateWebhooks: config.allowPrivateWebhooks,
    });
  }
  let deployment: Deployment;
  try {
    deployment =
      typeof config.deployment === 'object' ? config.deployment : loadDeployment(config.deployment);
  } catch (cause) {
    throw new ConfigError(
      'cannot load the deployment',
      { deployment: config.deployment },
      { cause },
    );
  }
  return {
    ...config,
    publicUrl: publicUrl.origin + publicUrl.pathname.replace(/\/$/, ''),
    deployment,
    allowPrivateWebhooks: config.allowPrivateWebhooks ?? deployment.chainId === devChainId,
  };
}
