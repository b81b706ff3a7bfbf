import type { Deployment } from '@charter/contracts';

import type { LogLevel } from '../log';

/** Everything the indexer can be told. Only `rpcUrl` and `deployment` have no default. */
export interface IndexerConfig {
  /** JSON-RPC endpoint of the chain (HTTP). */
  rpcUrl: string;
  /** The deployment to follow: the object, a deployments file's path, or a chain id (read from
   * `deployments/<chainId>.json`). */
  deployment: Deployment | string | number;
  /** PostgreSQL connection string; when unset, PGlite stores the database in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory; `memory://` keeps it in memory. */
  dataDir: string;
  /** HTTP port of the API; 0 picks a free one. */
  port: number;
  host: string;
  /** Blocks to stay behind the head. Reorgs are handled either way; this only delays what is shown. */
  confirmations: number;
  /** Blocks behind the head that a reorg may still replace: within this window every change is
   * journaled so it can be undone; older blocks are backfilled without that cost. */
  finalityDepth: number;
  /** Milliseconds between polls for a new block once caught up. When unset, chosen from the chain
   * (`choosePollingInterval`): 100 ms on a node that mines on demand, otherwise half the measured block
   * time between 250 ms and 6 s. */
  pollingInterval?: number;
  /** Largest block range of one `eth_getLogs`; halved when the provider refuses a range, and grown
   * back after successes. */
  maxBlockRange: number;
  /** Milliseconds before an RPC request is abandoned and retried. */
  rpcTimeout: number;
  /** Retries of a failed RPC request (exponential backoff, capped at 30 s) before the sync pauses. */
  rpcRetries: number;
  /** Memory for the API's answers at the current block, in MiB; least recently used go first, 0 keeps none. */
  answerCacheMegabytes: number;
  /** Seconds an address waits between two stored versions of its delegate statement (a 429 before);
   * 0 lets it publish at will. When unset, 0 on a dev chain (chain id 31337) and 60 elsewhere. */
  statementIntervalSeconds?: number;
  /** Versions of an address's statement kept; storing one more deletes the oldest. At least 1. */
  maxStatementVersions: number;
  logLevel: LogLevel;
}

/** The dev chain's id (anvil, `npm start`): statements there may follow each other at once. */
export const devChainId = 31337;

/** `statementIntervalSeconds` when unset: none on the dev chain, a minute elsewhere. */
export const defaultStatementIntervalSeconds = (chainId: number) =>
  chainId === devChainId ? 0 : 60;

export const defaultConfig = {
  dataDir: '.data/indexer',
  port: 42069,
  host: '127.0.0.1',
  confirmations: 0,
  finalityDepth: 64,
  maxBlockRange: 5_000,
  rpcTimeout: 10_000,
  rpcRetries: 8,
  answerCacheMegabytes: 64,
  maxStatementVersions: 100,
  logLevel: 'info',
} satisfies Omit<IndexerConfig, 'rpcUrl' | 'deployment'>;

export type IndexerOptions = Pick<IndexerConfig, 'rpcUrl' | 'deployment'> & Partial<IndexerConfig>;

/** The one place environment variables map onto the configuration. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<IndexerConfig> {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const entries: Partial<Record<keyof IndexerConfig, unknown>> = {
    rpcUrl: env.RPC_URL,
    deployment: env.DEPLOYMENT,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.INDEXER_DATA_DIR,
    port: number(env.INDEXER_PORT),
    host: env.INDEXER_HOST,
    confirmations: number(env.INDEXER_CONFIRMATIONS),
    finalityDepth: number(env.INDEXER_FINALITY_DEPTH),
    pollingInterval: number(env.INDEXER_POLLING_INTERVAL),
    maxBlockRange: number(env.INDEXER_MAX_BLOCK_RANGE),
    rpcTimeout: number(env.INDEXER_RPC_TIMEOUT),
    rpcRetries: number(env.INDEXER_RPC_RETRIES),
    answerCacheMegabytes: number(env.INDEXER_ANSWER_CACHE_MB),
    statementIntervalSeconds: number(env.INDEXER_STATEMENT_INTERVAL),
    maxStatementVersions: number(env.INDEXER_MAX_STATEMENT_VERSIONS),
    logLevel: env.LOG_LEVEL,
  };
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<IndexerConfig>;
}
