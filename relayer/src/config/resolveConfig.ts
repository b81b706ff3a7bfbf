import { loadDeployment, type Deployment } from '@charter/contracts';
import { parseEther, type Hex } from 'viem';

import { ConfigError } from '../errors';
import { defaultConfig, devChainId, type RelayerConfig, type RelayerOptions } from './config';

export type ResolvedConfig = Omit<RelayerConfig, 'deployment' | 'budgetEth' | 'minVotingPower'> & {
  deployment: Deployment;
  /** The budget in wei. */
  budget: bigint;
  /** The minimum voting power in the token's smallest unit (18 decimals). */
  minVotingPower: bigint;
};

const decimal = /^\d+(\.\d{1,18})?$/;

/** Applies the defaults, loads the deployment, and refuses what cannot work with a clear message. */
export function resolveConfig(options: RelayerOptions): ResolvedConfig {
  const config = { ...defaultConfig, ...options };
  if (!config.rpcUrl) throw new ConfigError('an RPC URL is required (--rpc-url or RPC_URL)');
  if (!/^https?:\/\//.test(config.rpcUrl)) {
    throw new ConfigError('the RPC URL must be http(s)', { rpcUrl: config.rpcUrl });
  }
  if (config.indexerUrl !== undefined && !/^https?:\/\//.test(config.indexerUrl)) {
    throw new ConfigError('the indexer URL must be http(s)', { indexerUrl: config.indexerUrl });
  }
  if (!config.privateKey) {
    throw new ConfigError('a key is required: set RELAYER_PRIVATE_KEY to the paying account');
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(config.privateKey)) {
    throw new ConfigError('RELAYER_PRIVATE_KEY must be 0x followed by 64 hex digits');
  }
  for (const key of ['port', 'rateLimit', 'pollingInterval'] as const) {
    if (key === 'pollingInterval' && config[key] === undefined) continue;
    if (!Number.isInteger(config[key]) || config[key]! < 0) {
      throw new ConfigError(`${key} must be a non-negative integer`, { [key]: config[key] });
    }
  }
  if (config.rateLimit < 1) throw new ConfigError('rateLimit must be at least 1 ballot an hour');
  if (config.pollingInterval !== undefined && config.pollingInterval < 1) {
    throw new ConfigError('pollingInterval must be at least 1 ms');
  }
  if (!decimal.test(config.minVotingPower)) {
    throw new ConfigError('minVotingPower must be a decimal number of tokens, such as 1 or 0.5', {
      minVotingPower: config.minVotingPower,
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
  const budgetEth =
    config.budgetEth ??
    (deployment.chainId === devChainId ? defaultConfig.devBudgetEth : undefined);
  if (budgetEth === undefined) {
    throw new ConfigError(
      `a budget is required on chain ${deployment.chainId} (--budget-eth or RELAYER_BUDGET_ETH); only the dev chain has a default`,
    );
  }
  if (!decimal.test(budgetEth)) {
    throw new ConfigError('the budget must be a decimal number of ETH, such as 10 or 0.5', {
      budgetEth,
    });
  }
  const rest: Omit<typeof config, 'budgetEth' | 'minVotingPower'> & { budgetEth?: string } = {
    ...config,
  };
  delete rest.budgetEth;
  return {
    ...rest,
    privateKey: config.privateKey as Hex,
    deployment,
    budget: parseEther(budgetEth),
    minVotingPower: parseEther(config.minVotingPower),
  };
}
