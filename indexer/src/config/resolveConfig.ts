import { loadDeployment, type Deployment } from '@charter/contracts';

import { ConfigError } from '../errors';
import { defaultConfig, type IndexerConfig, type IndexerOptions } from './config';

export type ResolvedConfig = Omit<IndexerConfig, 'deployment'> & { deployment: Deployment };

/** Applies the defaults, loads the deployment, and refuses what cannot work with a clear message. */
export function resolveConfig(options: IndexerOptions): ResolvedConfig {
  const config = { ...defaultConfig, ...options };
  if (!config.rpcUrl) throw new ConfigError('an RPC URL is required (--rpc-url or RPC_URL)');
  if (!/^https?:\/\//.test(config.rpcUrl)) {
    throw new ConfigError('the RPC URL must be http(s)', { rpcUrl: config.rpcUrl });
  }
  const integers = [
    'port',
    'confirmations',
    'finalityDepth',
    'pollingInterval',
    'maxBlockRange',
    'rpcTimeout',
    'rpcRetries',
    'answerCacheMegabytes',
  ] as const;
  for (const key of integers) {
    if (key === 'pollingInterval' && config[key] === undefined) continue;
    if (!Number.isInteger(config[key]) || config[key]! < 0) {
      throw new ConfigError(`${key} must be a non-negative integer`, { [key]: config[key] });
    }
  }
  if (config.maxBlockRange < 1) throw new ConfigError('maxBlockRange must be at least 1');
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(config.logLevel)) {
    throw new ConfigError('logLevel must be debug, info, warn, error or silent', {
      logLevel: config.logLevel,
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
  return { ...config, deployment };
}
