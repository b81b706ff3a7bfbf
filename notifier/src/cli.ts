import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import {
  configFromEnv,
  defaultConfig,
  parseBoolean,
  parseDurations,
  type NotifierOptions,
} from './config/config';
import { BaseError } from './errors';
import { createLogger, type LogLevel } from '@charter/indexer';
import { startNotifier } from './startNotifier';

const seconds = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);
const usage = `Usage: npm run start -w notifier -- --rpc-url URL --deployment FILE [options]

  --rpc-url URL           JSON-RPC endpoint (env RPC_URL)
  --deployment FILE       deployments file (env DEPLOYMENT)
  --public-url URL        the web app: sign-in domain, links in payloads and feeds
                          (default ${defaultConfig.publicUrl}; env NOTIFIER_PUBLIC_URL)
  --indexer-url URL       the indexer's API (accepted; the notifier reads the chain itself; env INDEXER_URL)
  --database-url URL      PostgreSQL; PGlite in --data-dir when unset (env DATABASE_URL)
  --data-dir DIR          PGlite data directory (default ${defaultConfig.dataDir}; env NOTIFIER_DATA_DIR)
  --port N                API port (default ${defaultConfig.port}; env NOTIFIER_PORT)
  --host HOST             API host (default ${defaultConfig.host}; env NOTIFIER_HOST)
  --confirmations N       blocks on top of an event's block before it is sent
                          (default ${defaultConfig.confirmations}; env NOTIFIER_CONFIRMATIONS)
  --poll-interval MS      between polls for a new block (default: from the chain, 100 ms on a node that
                          mines on demand, else half the block time within 250 ms–6 s; env NOTIFIER_POLLING_INTERVAL)
  --max-block-range N     largest eth_getLogs range (default ${defaultConfig.maxBlockRange}; env NOTIFIER_MAX_BLOCK_RANGE)
  --retry-schedule LIST   waits between delivery attempts, then failed
                          (default ${defaultConfig.retrySchedule.map(seconds).join(',')}; env NOTIFIER_RETRY_SCHEDULE)
  --attempt-timeout MS    per delivery attempt (default ${defaultConfig.attemptTimeout}; env NOTIFIER_ATTEMPT_TIMEOUT)
  --max-subscriptions N   subscriptions one address may hold (default ${defaultConfig.maxSubscriptions}; env NOTIFIER_MAX_SUBSCRIPTIONS)
  --max-subscriptions-per-host N
                          subscriptions, all subscribers together, with webhooks on one host
                          (default ${defaultConfig.maxSubscriptionsPerHost}; env NOTIFIER_MAX_SUBSCRIPTIONS_PER_HOST)
  --allow-private-webhooks true|false
                          webhooks may reach loopback, private and link-local addresses
                          (default: true on chain 31337 only; env NOTIFIER_ALLOW_PRIVATE_WEBHOOKS)
  --log-level LEVEL       debug | info | warn | error | silent (default ${defaultConfig.logLevel}; env LOG_LEVEL)
  --help                  this text
`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      'rpc-url': { type: 'string' },
      deployment: { type: 'string' },
      'public-url': { type: 'string' },
      'indexer-url': { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      confirmations: { type: 'string' },
      'poll-interval': { type: 'string' },
      'max-block-range': { type: 'string' },
      'retry-schedule': { type: 'string' },
      'attempt-timeout': { type: 'string' },
      'max-subscriptions': { type: 'string' },
      'max-subscriptions-per-host': { type: 'string' },
      'allow-private-webhooks': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const fromArgs = Object.fromEntries(
  Object.entries({
    rpcUrl: values['rpc-url'],
    deployment: values.deployment,
    publicUrl: values['public-url'],
    indexerUrl: values['indexer-url'],
    databaseUrl: values['database-url'],
    dataDir: values['data-dir'],
    port: number(values.port),
    host: values.host,
    confirmations: number(values.confirmations),
    pollingInterval: number(values['poll-interval']),
    maxBlockRange: number(values['max-block-range']),
    retrySchedule:
      values['retry-schedule'] === undefined ? undefined : parseDurations(values['retry-schedule']),
    attemptTimeout: number(values['attempt-timeout']),
    maxSubscriptions: number(values['max-subscriptions']),
    maxSubscriptionsPerHost: number(values['max-subscriptions-per-host']),
    allowPrivateWebhooks: parseBoolean(values['allow-private-webhooks']),
    logLevel: values['log-level'],
  }).filter(([, value]) => value !== undefined),
);
const options = { ...configFromEnv(), ...fromArgs } as NotifierOptions;
// `npm run -w notifier` runs in notifier/: relative paths mean what they meant where npm was invoked.
const invokedIn = process.env.INIT_CWD ?? process.cwd();
if (typeof options.deployment === 'string')
  options.deployment = resolve(invokedIn, options.deployment);
if (options.dataDir && !options.dataDir.startsWith('memory://')) {
  options.dataDir = resolve(invokedIn, options.dataDir);
}
const logger = createLogger((options.logLevel ?? defaultConfig.logLevel) as LogLevel);

try {
  if (!options.rpcUrl || options.deployment === undefined) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const notifier = await startNotifier({ ...options, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void notifier.stop().then(() => process.exit(0));
    });
  }
  await notifier.done;
} catch (error) {
  logger.error('fatal', {
    error,
    ...(error instanceof BaseError ? { details: error.details } : {}),
  });
  process.exit(1);
}
