import type { AddressInfo } from 'node:net';

import { serve, type ServerType } from '@hono/node-server';
import { createPublicClient, http, type Chain, type PublicClient } from 'viem';

import { createApp } from './api/createApp';
import { createAuth } from './auth/auth';
import { createFollower, type Follower } from './chain/createFollower';
import type { NotifierOptions } from './config/config';
import { resolveConfig, type ResolvedConfig } from './config/resolveConfig';
import { openDatabase, type OpenDatabase } from './database/openDatabase';
import { createDeliveryWorker } from './delivery/createDeliveryWorker';
import { systemResolveHost, type ResolveHost } from './delivery/webhookAddress';
import { choosePollingInterval } from '@charter/contracts';
import { createLogger, type Logger } from '@charter/indexer';

export interface Notifier {
  config: ResolvedConfig;
  /** The API's base URL, e.g. `http://127.0.0.1:42071`. */
  url: string;
  port: number;
  database: OpenDatabase;
  follower: Follower;
  /** Resolves when stopped; rejects if following the chain cannot go on (another deployment's database). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Opens the database, starts following the chain, the delivery worker and the HTTP API. `tickMs` is how
 * often the worker looks for due deliveries when nothing wakes it; `resolveHost` replaces the system
 * resolver for webhook hosts (tests).
 */
export async function startNotifier(
  options: NotifierOptions & { logger?: Logger; tickMs?: number; resolveHost?: ResolveHost },
): Promise<Notifier> {
  const config = resolveConfig(options);
  const resolveHost = options.resolveHost ?? systemResolveHost;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config);
  const { db } = database;
  const client = createPublicClient({
    transport: http(config.rpcUrl, { timeout: 10_000, retryCount: 2 }),
    chain: { id: config.deployment.chainId } as Chain,
  }) as PublicClient;
  const worker = createDeliveryWorker({
    db,
    retrySchedule: config.retrySchedule,
    attemptTimeout: config.attemptTimeout,
    concurrency: config.deliveryConcurrency,
    allowPrivateWebhooks: config.allowPrivateWebhooks,
    resolveHost,
    logger,
    tickMs: options.tickMs,
    isCanonical: async (number, hash) =>
      (await client.getBlock({ blockNumber: BigInt(number) })).hash === hash,
  });
  const pollingInterval = config.pollingInterval ?? (await choosePollingInterval(client));
  logger.info('polling', { intervalMs: pollingInterval });
  const follower = createFollower({
    db,
    client,
    deployment: config.deployment,
    confirmations: config.confirmations,
    maxBlockRange: config.maxBlockRange,
    pollingInterval,
    publicUrl: config.publicUrl,
    logger,
    onEvents: () => worker.wake(),
  });
  const auth = createAuth({
    db,
    domain: new URL(config.publicUrl).host,
    chainId: config.deployment.chainId,
    nonceTtl: config.nonceTtl,
    sessionTtl: config.sessionTtl,
  });
  const app = createApp({
    db,
    auth,
    chainId: config.deployment.chainId,
    publicUrl: config.publicUrl,
    limits: {
      maxSubscriptions: config.maxSubscriptions,
      maxSubscriptionsPerHost: config.maxSubscriptionsPerHost,
      allowPrivateWebhooks: config.allowPrivateWebhooks,
      resolveHost,
    },
    logger,
    ready: () => follower.ready,
    wake: () => worker.wake(),
  });
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(started),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('listening', {
    url,
    chainId: config.deployment.chainId,
    confirmations: config.confirmations,
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await follower.stop();
      await worker.stop();
      await database.close();
    })());
  const done = follower.done.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { config, url, port, database, follower, done, stop };
}
