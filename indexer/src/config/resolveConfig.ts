import { loadDeployment, type Deployment } from '@charter/contracts';

import { ConfigError } from '../errors';
import {
  defaultConfig,
  defaultStatementIntervalSeconds,
  type IndexerConfig,
  type IndexerOptions,
} from './config';

export type ResolvedConfig = Omit<IndexerConfig, 'deployment' | 'statementIntervalSeconds'> & {
  deployment: Deployment;
  statementIntervalSeconds: number;
};

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
    'statementIntervalSeconds',
    'maxStatementVersions',
  ] as const;
  for (const key of integers) {
    if (
      (key === 'pollingInterval' || key === 'statementIntervalSeconds') &&
      config[key] === undefined
    ) {
      continue;
    }
    if (!Number.isInteger(config[key]) || config[key]! < 0) {
      throw new ConfigError(`${key} must be a non-negative integer`, { [key]: config[key] });
    }
  }
  if (config.maxBlockRange < 1) throw new ConfigError('maxBlockRange must be at least 1');
  if (config.maxStatementVersions < 1) {
    throw new ConfigError('maxStatementVersions must be at least 1', {
      maxStatementVersions: config.maxStatementVersions,
    });
  }
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
  return {
    ...config,
    deployment,
    statementIntervalSeconds:
      config.statementIntervalSeconds ?? defaultStatementIntervalSeconds(deployment.chainId),
  };
}
