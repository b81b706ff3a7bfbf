import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

import { serve } from '@hono/node-server';
import { createPublicClient, http } from 'viem';

import { createApp } from './api/createApp';
import type { SyncEvent } from './api/stream';
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
  options: IndexerOptions & {
    logger?: Logger;
    /** Between the live stream's heartbeats (15 s unless given; tests shorten it). */
    heartbeatMs?: number;
    /** Unix seconds now, for the statements' rate limit (the wall clock unless given; tests move it). */
    now?: () => number;
  },
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
  const events = new EventEmitter().setMaxListeners(0);
  const sync = createSync({
    config,
    database,
    rpc,
    logger,
    onChanges: (changes) => events.emit('sync', { changes } satisfies SyncEvent),
    onBlock: (block) => events.emit('sync', { block } satisfies SyncEvent),
  });
  const app = createApp({
    db: database.db,
    deployment: config.deployment,
    status: sync.status,
    logger,
    cacheBytes: config.answerCacheMegabytes * 1024 * 1024,
    heartbeatMs: options.heartbeatMs,
    publicClient: createPublicClient({ transport: http(config.rpcUrl) }),
    statementLimits: {
      intervalSeconds: config.statementIntervalSeconds,
      maxVersions: config.maxStatementVersions,
    },
    now: options.now,
    subscribe: (listener) => {
      events.on('sync', listener);
      return () => events.off('sync', listener);
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: { maxHeaderSize: maxHeaderBytes },
      },
      () => resolve(listening),
    );
  });
  server.on('clientError', answerClientError);
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

/**
 * What Node's parser accepts as request line and headers together: well above the app's own limits
 * (`maxUrlLength`, `maxHeaderLength`), so that the app answers an oversized request with a 414 or 431
 * and only an extreme one reaches `answerClientError`.
 */
const maxHeaderBytes = 256 * 1024;

/**
 * Answers a request Node's HTTP parser rejected: 431 when its request line and headers together
 * overflowed `maxHeaderBytes`, 400 otherwise. Node's default handler closes the socket while the client
 * may still be sending, which resets the connection before the client reads the answer; here the socket
 * is half-closed and the rest of the request drained instead.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(
    status === 431
      ? {
          error: 'headers_too_large',
          message: `the request line and headers are longer than ${maxHeaderBytes} bytes`,
        }
      : { error: 'bad_request', message: 'malformed request' },
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.resume();
  setTimeout(() => socket.destroy(), 2_000).unref();
}
