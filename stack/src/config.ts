// Deliberately free of workspace imports: the CLI reads its configuration before anything is built.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The repository root, which holds every workspace. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StackConfig {
  /** Delete the data directory first: a new chain, a new deployment, a new demo DAO, a new index. */
  fresh: boolean;
  /** An existing chain; anvil is started (and the demo DAO seeded) when unset. */
  rpcUrl?: string;
  /** Deployments file of the existing chain, an absolute path (default: deployments/<chainId>.json). */
  deployment?: string;
  /** PostgreSQL for the indexer; PGlite in the data directory when unset. */
  databaseUrl?: string;
  /** Indexer settings for a hosted provider; the indexer's own defaults when unset (see indexer/README.md). */
  indexer?: {
    /** Blocks the indexer stays behind the head. */
    confirmations?: number;
    /** Milliseconds between polls for a new block; by default chosen from the chain's block time. */
    pollInterval?: number;
    /** Largest `eth_getLogs` range: the provider's cap. */
    maxBlockRange?: number;
  };
  /** anvil's state, the deployments file, the indexer's PGlite database, the evaluators' state (absolute). */
  dataDir: string;
  anvilPort: number;
  indexerPort: number;
  webPort: number;
  /** The relayer's API: submits signed ballots and delegations (relayer/README.md). */
  relayerPort: number;
  /** The notifier's API: webhooks and feeds (notifier/README.md). */
  notifierPort: number;
  /** The built web app (adapter-node output); default web/build. */
  webBuildDir?: string;
  /** Aborting it stops whatever has started and makes startStack reject. */
  signal?: AbortSignal;
}

export const usage = `npm start [-- OPTIONS]

  --fresh                 start over: delete the data directory (chain, deployment, index)
  --rpc-url URL           run against an existing chain: no anvil, no seeding, no evaluators  [RPC_URL]
  --deployment PATH       that chain's deployments file (default deployments/<chainId>.json)  [CHARTER_DEPLOYMENT]
  --database-url URL      the indexer's PostgreSQL (default: PGlite in the data directory)    [DATABASE_URL]
  --confirmations N       blocks the indexer stays behind the head (default 0)         [INDEXER_CONFIRMATIONS]
  --poll-interval MS      the indexer's polling (default: half the chain's block time)  [INDEXER_POLLING_INTERVAL]
  --max-block-range N     the provider's eth_getLogs range cap (default 5000)          [INDEXER_MAX_BLOCK_RANGE]
  --data-dir PATH         default .data/ at the repository root                               [CHARTER_DATA_DIR]
  --port N                the web app (default 3000)                                         [PORT]
  --indexer-port N        the indexer's API (default 42069)                                  [INDEXER_PORT]
  --anvil-port N          the local chain (default 8545)                                     [ANVIL_PORT]
  --relayer-port N        the relayer's API (default 42070)                                  [RELAYER_PORT]
  --notifier-port N       the notifier's API (default 42071)                                 [NOTIFIER_PORT]
  --help`;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Command-line flags over environment variables over defaults. Paths are read from the directory the
 * user typed the command in: npm runs the workspace in stack/, but sets INIT_CWD to where it was invoked.
 */
export function readConfig(
  args: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): StackConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        help: { type: 'boolean', default: false },
        fresh: { type: 'boolean', default: false },
        'rpc-url': { type: 'string', default: env.RPC_URL },
        deployment: { type: 'string', default: env.CHARTER_DEPLOYMENT },
        'database-url': { type: 'string', default: env.DATABASE_URL },
        confirmations: { type: 'string', default: env.INDEXER_CONFIRMATIONS },
        'poll-interval': { type: 'string', default: env.INDEXER_POLLING_INTERVAL },
        'max-block-range': { type: 'string', default: env.INDEXER_MAX_BLOCK_RANGE },
        'data-dir': { type: 'string', default: env.CHARTER_DATA_DIR ?? join(ROOT, '.data') },
        port: { type: 'string', default: env.PORT ?? '3000' },
        'indexer-port': { type: 'string', default: env.INDEXER_PORT ?? '42069' },
        'anvil-port': { type: 'string', default: env.ANVIL_PORT ?? '8545' },
        'relayer-port': { type: 'string', default: env.RELAYER_PORT ?? '42070' },
        'notifier-port': { type: 'string', default: env.NOTIFIER_PORT ?? '42071' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) return 'help';
  const port = (
    name: 'port' | 'indexer-port' | 'anvil-port' | 'relayer-port' | 'notifier-port',
  ) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new ConfigError(`--${name} must be a port number, not ${values[name]}`);
    return n;
  };
  const count = (name: 'confirmations' | 'poll-interval' | 'max-block-range', least: number) => {
    if (!values[name]) return undefined;
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < least)
      throw new ConfigError(
        `--${name} must be an integer of at least ${least}, not ${values[name]}`,
      );
    return n;
  };
  const indexer = {
    confirmations: count('confirmations', 0),
    pollInterval: count('poll-interval', 1),
    maxBlockRange: count('max-block-range', 1),
  };
  const invokedIn = env.INIT_CWD ?? process.cwd();
  return {
    fresh: values.fresh ?? false,
    rpcUrl: values['rpc-url'] || undefined,
    deployment: values.deployment ? resolve(invokedIn, values.deployment) : undefined,
    databaseUrl: values['database-url'] || undefined,
    indexer,
    dataDir: resolve(invokedIn, values['data-dir']!),
    webPort: port('port'),
    indexerPort: port('indexer-port'),
    anvilPort: port('anvil-port'),
    relayerPort: port('relayer-port'),
    notifierPort: port('notifier-port'),
  };
}

/** The indexer's command-line flags for what `npm start` was told about the provider. */
export function indexerFlags({
  confirmations,
  pollInterval,
  maxBlockRange,
}: NonNullable<StackConfig['indexer']>): string[] {
  return [
    ...(confirmations === undefined ? [] : ['--confirmations', String(confirmations)]),
    ...(pollInterval === undefined ? [] : ['--poll-interval', String(pollInterval)]),
    ...(maxBlockRange === undefined ? [] : ['--max-block-range', String(maxBlockRange)]),
  ];
}
