import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { createLogger } from '@charter/indexer';

import { configFromEnv, defaultConfig, type RelayerOptions } from './config/config';
import { BaseError } from './errors';
import { startRelayer } from './startRelayer';

const usage = `Usage: npm run start -w relayer -- --rpc-url URL --deployment PATH|CHAIN_ID [options]
       with the paying key in the environment: RELAYER_PRIVATE_KEY=0x...

  --rpc-url URL            JSON-RPC endpoint (env RPC_URL)
  --deployment PATH|ID     deployments file, or chain id of deployments/<id>.json (env DEPLOYMENT)
  --indexer-url URL        the indexer's API: mined ballots become "indexed" once it has their block
                           (env INDEXER_URL; without it they stay "mined")
  --database-url URL       PostgreSQL; PGlite in --data-dir when unset (env DATABASE_URL)
  --data-dir DIR           PGlite data directory (default ${defaultConfig.dataDir}; env RELAYER_DATA_DIR)
  --port N                 API port (default ${defaultConfig.port}; env RELAYER_PORT)
  --host HOST              API host (default ${defaultConfig.host}; env RELAYER_HOST)
  --budget-eth ETH         total ETH it may spend on gas (default ${defaultConfig.devBudgetEth} on chain 31337,
                           required elsewhere; env RELAYER_BUDGET_ETH)
  --min-voting-power N     tokens a voter needs at the snapshot, or a delegator holds
                           (default ${defaultConfig.minVotingPower}; env RELAYER_MIN_VOTING_POWER)
  --rate-limit N           ballots per account per hour (default ${defaultConfig.rateLimit}; env RELAYER_RATE_LIMIT)
  --poll-interval MS       between passes of the queue (default: from the chain, 100 ms on a node that
                           mines on demand, else half the block time within 250 ms–6 s; env RELAYER_POLL_INTERVAL)
  --log-level LEVEL        debug | info | warn | error (default ${defaultConfig.logLevel}; env LOG_LEVEL)
`;

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    deployment: { type: 'string' },
    'indexer-url': { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'budget-eth': { type: 'string' },
    'min-voting-power': { type: 'string' },
    'rate-limit': { type: 'string' },
    'poll-interval': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const fromArgs = Object.fromEntries(
  Object.entries({
    rpcUrl: values['rpc-url'],
    deployment: values.deployment,
    indexerUrl: values['indexer-url'],
    databaseUrl: values['database-url'],
    dataDir: values['data-dir'],
    port: number(values.port),
    host: values.host,
    budgetEth: values['budget-eth'],
    minVotingPower: values['min-voting-power'],
    rateLimit: number(values['rate-limit']),
    pollingInterval: number(values['poll-interval']),
    logLevel: values['log-level'],
  }).filter(([, value]) => value !== undefined),
);
const options = { ...configFromEnv(), ...fromArgs } as RelayerOptions;
// `npm run -w relayer` runs in relayer/: relative paths mean what they meant where npm was invoked.
const invokedIn = process.env.INIT_CWD ?? process.cwd();
if (typeof options.deployment === 'string') {
  options.deployment = /^\d+$/.test(options.deployment)
    ? Number(options.deployment)
    : resolve(invokedIn, options.deployment);
}
if (options.dataDir && !options.dataDir.startsWith('memory://')) {
  options.dataDir = resolve(invokedIn, options.dataDir);
}
const logger = createLogger(options.logLevel ?? defaultConfig.logLevel);

try {
  if (!options.rpcUrl || options.deployment === undefined) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const relayer = await startRelayer({ ...options, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void relayer.stop().then(() => process.exit(0));
    });
  }
  await relayer.done;
} catch (error) {
  logger.error('fatal', {
    error,
    ...(error instanceof BaseError ? { details: error.details } : {}),
  });
  process.exit(1);
}
