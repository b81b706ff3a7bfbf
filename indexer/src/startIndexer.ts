import { EventEmitter } from 'node:events';

import { serve } from '@hono/node-server';

import { createApp } from './api/createApp';
import type { Change } from './client/types';
import type { IndexerOptions } from './config/config';
import { resolveConfig } from './config/resolveConfig';
import { openDatabase } from './database/openDatabase';
import { createLogger, type Logger } from './log';
import { createSync, type SyncStatus } from './sync/createSync';
import { createRpc } from './sync/rpc';

export interface Indexer {
  /** Base URL of the HTTP API. */
  url: string;
  status: SyncStatus;
  /** Resolves once the backfill has caught up with the chain. */
  ready(): Promise<void>;
  /** Resolves when the sync stops for good, rejecting with the error that stopped it. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole indexer in this process: opens (and migrates) the database, serves the API, and follows
 * the chain. Resolves once the API listens; the backfill goes on in the background (see `ready()`).
 */
export async function startIndexer(
  options: IndexerOptions & { logger?: Logger },
): Promise<Indexer> {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config);
  const rpc = createRpc({
    url: config.rpcUrl,
    timeout: config.rpcTimeout,
    retries: config.rpcRetries,
    logger,
  });
  const changes = new EventEmitter().setMaxListeners(0);
  const sync = createSync({
    config,
    database,
    rpc,
    logger,
    onChanges: (list: Change[]) => changes.emit('changes', list),
  });
  const app = createApp({
    db: database.db,
    deployment: config.deployment,
    status: sync.status,
    logger,
    subscribe: (listener) => {
      changes.on('changes', listener);
      return () => changes.off('changes', listener);
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(listening),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  logger.info('api_listening', { url, database: database.kind });

  const done = sync.run();
  done.catch(() => {}); // observed through `done` and `ready()`
  let stopping: Promise<void> | undefined;
  return {
    url,
    status: sync.status,
    done,
    async ready() {
      while (!sync.status.ready) {
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20))]);
      }
    },
    stop() {
      stopping ??= (async () => {
        await sync.stop();
        // Open event streams would hold the server open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
        await database.close();
      })();
      return stopping;
    },
  };
}
