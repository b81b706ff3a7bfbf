import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { configFromEnv, defaultConfig, type IndexerOptions } from './config/config';
import { BaseError } from './errors';
import { createLogger } from './log';
import { startIndexer } from './startIndexer';

const usage = `Usage: npm run start -w indexer -- --rpc-url URL --deployment PATH|CHAIN_ID [options]

  --rpc-url URL          JSON-RPC endpoint (env RPC_URL)
  --deployment PATH|ID   deployments file, or chain id of deployments/<id>.json (env DEPLOYMENT)
  --database-url URL     PostgreSQL; PGlite in --data-dir when unset (env DATABASE_URL)
  --data-dir DIR         PGlite data directory (default ${defaultConfig.dataDir})
  --port N               API port (default ${defaultConfig.port}; env INDEXER_PORT)
  --host HOST            API host (default ${defaultConfig.host})
  --confirmations N      blocks to stay behind the head (default ${defaultConfig.confirmations}; env INDEXER_CONFIRMATIONS)
  --poll-interval MS     between polls for a new block (default: from the chain, 100 ms on a node that
                         mines on demand, else half the block time within 250 ms–6 s; env INDEXER_POLLING_INTERVAL)
  --max-block-range N    largest eth_getLogs range (default ${defaultConfig.maxBlockRange}; env INDEXER_MAX_BLOCK_RANGE)
  --answer-cache-mb N    memory for cached answers, in MiB; 0 keeps none (default ${defaultConfig.answerCacheMegabytes}; env INDEXER_ANSWER_CACHE_MB)
  --log-level LEVEL      debug | info | warn | error (default ${defaultConfig.logLevel})
`;

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    deployment: { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    confirmations: { type: 'string' },
    'poll-interval': { type: 'string' },
    'max-block-range': { type: 'string' },
    'answer-cache-mb': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const fromArgs = Object.fromEntries(
  Object.entries({
    rpcUrl: values['rpc-url'],
    deployment: values.deployment,
    databaseUrl: values['database-url'],
    dataDir: values['data-dir'],
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    confirmations: values.confirmations === undefined ? undefined : Number(values.confirmations),
    pollingInterval:
      values['poll-interval'] === undefined ? undefined : Number(values['poll-interval']),
    maxBlockRange:
      values['max-block-range'] === undefined ? undefined : Number(values['max-block-range']),
    answerCacheMegabytes:
      values['answer-cache-mb'] === undefined ? undefined : Number(values['answer-cache-mb']),
    logLevel: values['log-level'],
  }).filter(([, value]) => value !== undefined),
);
const options = { ...configFromEnv(), ...fromArgs } as IndexerOptions;
// `npm run -w indexer` runs in indexer/: relative paths mean what they meant where npm was invoked.
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
  const indexer = await startIndexer({ ...options, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void indexer.stop().then(() => process.exit(0));
    });
  }
  await indexer.done;
} catch (error) {
  logger.error('fatal', {
    error,
    ...(error instanceof BaseError ? { details: error.details } : {}),
  });
  process.exit(1);
}
