import type { Deployment } from '@charter/contracts';
import type { LogLevel } from '@charter/indexer';
import type { Hex } from 'viem';

/** Everything the relayer can be told. `rpcUrl`, `deployment` and `privateKey` have no default. */
export interface RelayerConfig {
  /** JSON-RPC endpoint of the chain (HTTP). */
  rpcUrl: string;
  /** The deployment: the object, a deployments file's path, or a chain id (`deployments/<chainId>.json`). */
  deployment: Deployment | string | number;
  /** The key that pays for the transactions. Only from the environment (RELAYER_PRIVATE_KEY), never a
   * flag: a flag shows in `ps` and shell history. */
  privateKey: Hex;
  /** The indexer's API; when set, a mined ballot becomes `indexed` once the indexer has its block. */
  indexerUrl?: string;
  /** PostgreSQL connection string; when unset, PGlite stores the queue in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory; `memory://` keeps it in memory (a restart then loses the queue). */
  dataDir: string;
  /** HTTP port of the API; 0 picks a free one. */
  port: number;
  host: string;
  /** Total ETH the relayer may spend on gas, a decimal ("10", "0.5"): mined ballots' gas used × effective
   * gas price, plus a reservation for those not mined yet. Required on a chain other than 31337 (anvil). */
  budgetEth?: string;
  /** Least voting power (tokens, decimal) a voter needs at the proposal's snapshot, or a delegator needs
   * as a token balance. */
  minVotingPower: string;
  /** Ballots accepted per account within any hour. */
  rateLimit: number;
  /** Milliseconds between passes of the queue (sending, receipts, indexing). When unset, chosen from the
   * chain as the indexer chooses its own (`choosePollingInterval`): 100 ms on a node that mines on demand,
   * otherwise half the measured block time within 250 ms–6 s. */
  pollingInterval?: number;
  logLevel: LogLevel;
}

/** anvil's chain id: the budget has a default only there. */
export const devChainId = 31337;

export const defaultConfig = {
  dataDir: '.data/relayer',
  port: 42070,
  host: '127.0.0.1',
  devBudgetEth: '10',
  minVotingPower: '1',
  rateLimit: 20,
  logLevel: 'info',
} as const;

export type RelayerOptions = Pick<RelayerConfig, 'rpcUrl' | 'deployment' | 'privateKey'> &
  Partial<RelayerConfig>;

/** The one place environment variables map onto the configuration. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<RelayerConfig> {
  const number = (value: string | undefined) => (value ? Number(value) : undefined);
  const entries: Partial<Record<keyof RelayerConfig, unknown>> = {
    rpcUrl: env.RPC_URL,
    deployment: env.DEPLOYMENT,
    privateKey: env.RELAYER_PRIVATE_KEY,
    indexerUrl: env.INDEXER_URL,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.RELAYER_DATA_DIR,
    port: number(env.RELAYER_PORT),
    host: env.RELAYER_HOST,
    budgetEth: env.RELAYER_BUDGET_ETH,
    minVotingPower: env.RELAYER_MIN_VOTING_POWER,
    rateLimit: number(env.RELAYER_RATE_LIMIT),
    pollingInterval: number(env.RELAYER_POLL_INTERVAL),
    logLevel: env.LOG_LEVEL,
  };
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<RelayerConfig>;
}
