import type { Deployment } from '@charter/contracts';

import type { LogLevel } from '@charter/indexer';

/** Everything the notifier can be told. Only `rpcUrl` and `deployment` have no default. */
export interface NotifierConfig {
  /** JSON-RPC endpoint of the chain (HTTP). */
  rpcUrl: string;
  /** The deployment to follow: the object, or a deployments file's path. */
  deployment: Deployment | string;
  /** The indexer's API. Accepted for `npm start`'s command line; the notifier reads the chain itself. */
  indexerUrl?: string;
  /** The web app: sign-in messages must name its host, and feed entries and payloads link to it. */
  publicUrl: string;
  /** PostgreSQL connection string; when unset, PGlite stores the database in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** HTTP port of the API; 0 picks a free one. */
  port: number;
  host: string;
  /** Blocks that must be mined on top of an event's block before it is sent. */
  confirmations: number;
  /** Milliseconds between polls for a new block. When unset, chosen from the chain: 100 ms on a node that
   * mines on demand, otherwise half the measured block time within 250 ms–6 s. */
  pollingInterval?: number;
  /** Largest block range of one `eth_getLogs`. */
  maxBlockRange: number;
  /** Waits between delivery attempts, in milliseconds: after the last one fails the delivery has failed. */
  retrySchedule: number[];
  /** Milliseconds before an attempt to reach a webhook is abandoned (counted as a failed attempt). */
  attemptTimeout: number;
  /** Webhook requests in flight at once. */
  deliveryConcurrency: number;
  /** Seconds a sign-in nonce stays usable. */
  nonceTtl: number;
  /** Seconds a session token stays valid. */
  sessionTtl: number;
  /** Subscriptions one address may hold. */
  maxSubscriptions: number;
  /** Subscriptions, all subscribers together, whose webhook is on one host (its name, any port). */
  maxSubscriptionsPerHost: number;
  /** Whether webhooks may point at loopback, private or link-local addresses (or names resolving to
   * them). When unset: only on the dev chain (chain id 31337), whose receivers run on loopback. */
  allowPrivateWebhooks?: boolean;
  logLevel: LogLevel;
}

/** 5 s, 30 s, 2 min, 10 min, 1 h: six attempts over about 1 h 13 min. */
export const defaultRetrySchedule = [5_000, 30_000, 120_000, 600_000, 3_600_000];

export const defaultConfig = {
  publicUrl: 'http://localhost:5173',
  dataDir: '.data/notifier',
  port: 42071,
  host: '127.0.0.1',
  confirmations: 0,
  maxBlockRange: 5_000,
  retrySchedule: defaultRetrySchedule,
  attemptTimeout: 10_000,
  deliveryConcurrency: 8,
  nonceTtl: 600,
  sessionTtl: 86_400,
  maxSubscriptions: 20,
  maxSubscriptionsPerHost: 50,
  logLevel: 'info',
} satisfies Omit<NotifierConfig, 'rpcUrl' | 'deployment'>;

export type NotifierOptions = Pick<NotifierConfig, 'rpcUrl' | 'deployment'> &
  Partial<NotifierConfig>;

/** `5s`, `30s`, `2m`, `1h`, `250ms` or plain milliseconds, comma-separated: `5s,30s,2m,10m,1h`. */
export function parseDurations(text: string): number[] {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(part);
    if (!match) return Number.NaN;
    return Number(match[1]) * units[match[2] ?? 'ms']!;
  });
}

/** `true` or `false` as a boolean; anything else as it is (resolveConfig refuses it). */
export function parseBoolean(text: string | undefined): boolean | string | undefined {
  if (text === undefined || text === '') return undefined;
  return text === 'true' ? true : text === 'false' ? false : text;
}

/** The one place environment variables map onto the configuration. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<NotifierConfig> {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const entries: Partial<Record<keyof NotifierConfig, unknown>> = {
    rpcUrl: env.RPC_URL,
    deployment: env.DEPLOYMENT,
    indexerUrl: env.INDEXER_URL,
    publicUrl: env.NOTIFIER_PUBLIC_URL,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.NOTIFIER_DATA_DIR,
    port: number(env.NOTIFIER_PORT),
    host: env.NOTIFIER_HOST,
    confirmations: number(env.NOTIFIER_CONFIRMATIONS),
    pollingInterval: number(env.NOTIFIER_POLLING_INTERVAL),
    maxBlockRange: number(env.NOTIFIER_MAX_BLOCK_RANGE),
    retrySchedule: env.NOTIFIER_RETRY_SCHEDULE && parseDurations(env.NOTIFIER_RETRY_SCHEDULE),
    attemptTimeout: number(env.NOTIFIER_ATTEMPT_TIMEOUT),
    maxSubscriptions: number(env.NOTIFIER_MAX_SUBSCRIPTIONS),
    maxSubscriptionsPerHost: number(env.NOTIFIER_MAX_SUBSCRIPTIONS_PER_HOST),
    allowPrivateWebhooks: parseBoolean(env.NOTIFIER_ALLOW_PRIVATE_WEBHOOKS),
    logLevel: env.LOG_LEVEL,
  };
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<NotifierConfig>;
}
