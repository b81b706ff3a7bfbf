import { createIndexerClient } from '@charter/indexer/client';
import { choosePollingInterval } from '@charter/contracts';
import { createLogger, type Logger } from '@charter/indexer';
import { serve } from '@hono/node-server';

import { createApp } from './api/createApp';
import { createChain } from './chain/createChain';
import type { RelayerOptions } from './config/config';
import { resolveConfig } from './config/resolveConfig';
import { checkRelayerState } from './database/checkRelayerState';
import { openDatabase } from './database/openDatabase';
import { createSubmitter, type SubmitterFaults } from './queue/createSubmitter';

export interface Relayer {
  /** Base URL of the HTTP API. */
  url: string;
  /** The paying account. */
  address: string;
  /** Milliseconds between passes of the queue: as configured, or chosen from the chain. */
  pollingInterval: number;
  /** Resolves when the queue stops (after `stop()`, or at a fault test's crash point). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the relayer in this process: opens (and migrates) the queue's database, reads the contracts'
 * EIP-712 domains, serves the API and runs the queue. A queue left by an earlier run is resumed first: its
 * signed transactions are broadcast again as they were, never signed anew.
 */
export async function startRelayer(
  options: RelayerOptions & {
    logger?: Logger;
    faults?: SubmitterFaults;
    /** How long a transaction waits for a receipt before it is sent again or its fee raised (30 s). */
    rebroadcastMs?: number;
  },
): Promise<Relayer> {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger(config.logLevel);
  const chain = await createChain({ ...config, deployment: config.deployment });
  // Unset, from the chain (as the indexer and the notifier): on a chain that mines on demand `mined` follows
  // the block within 100 ms, and a 12-second chain is not asked ten times a block.
  const pollingInterval = config.pollingInterval ?? (await choosePollingInterval(chain.client));
  logger.info('polling', { intervalMs: pollingInterval });
  const database = await openDatabase(config);
  try {
    const deploymentBlock = await chain.client.getBlock({
      blockNumber: BigInt(config.deployment.deploymentBlock),
    });
    await checkRelayerState(
      database.db,
      {
        chainId: chain.chainId,
        governor: chain.governor,
        token: chain.token,
        deploymentBlockHash: deploymentBlock.hash,
        relayer: chain.account.address,
      },
      logger,
    );
  } catch (error) {
    await database.close();
    throw error;
  }
  const indexer = config.indexerUrl ? createIndexerClient(config.indexerUrl) : undefined;
  const submitter = createSubmitter({
    db: database.db,
    chain,
    indexer,
    logger,
    pollingInterval,
    budget: config.budget,
    rebroadcastMs: options.rebroadcastMs,
    faults: options.faults,
  });
  const app = createApp({
    db: database.db,
    chain,
    logger,
    budget: config.budget,
    minVotingPower: config.minVotingPower,
    rateLimit: config.rateLimit,
    onAccepted: () => submitter.notify(),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(listening),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  logger.info('api_listening', {
    url,
    database: database.kind,
    relayer: chain.account.address,
    chainId: chain.chainId,
    budget: config.budget,
  });
  const done = submitter.run();
  let stopping: Promise<void> | undefined;
  return {
    url,
    address: chain.account.address.toLowerCase(),
    pollingInterval,
    done,
    stop() {
      stopping ??= (async () => {
        await submitter.stop();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
        await database.close();
      })();
      return stopping;
    },
  };
}
