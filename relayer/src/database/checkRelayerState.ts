import type { Logger } from '@charter/indexer';
import type { Hex } from 'viem';

import { devChainId } from '../config/config';
import { ConfigError } from '../errors';
import type { Database } from './openDatabase';
import { ballots, relayerState } from './schema';

export interface QueueOwner {
  chainId: number;
  governor: Hex;
  token: Hex;
  deploymentBlockHash: Hex;
  relayer: Hex;
}

/**
 * Records which chain, contracts and key the queue belongs to on first start, and refuses a database that
 * belongs to others: its stored transactions must never be broadcast anywhere else. A dev chain (31337)
 * restarted from scratch or redeployed, with the same key, is the exception, as in the indexer: the old
 * queue is void there (its transactions name a chain that is gone), so it is emptied and started afresh.
 */
export async function checkRelayerState(
  db: Database,
  owner: QueueOwner,
  logger?: Logger,
): Promise<void> {
  const wanted = {
    chainId: owner.chainId,
    governor: owner.governor.toLowerCase() as Hex,
    token: owner.token.toLowerCase() as Hex,
    deploymentBlockHash: owner.deploymentBlockHash.toLowerCase() as Hex,
    relayer: owner.relayer.toLowerCase() as Hex,
  };
  await db
    .insert(relayerState)
    .values({ id: 1, ...wanted, createdAt: Date.now() })
    .onConflictDoNothing({ target: relayerState.id });
  const [stored] = await db.select().from(relayerState);
  const differing = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
    (key) => stored![key] !== wanted[key],
  );
  const replacedDevChain =
    wanted.chainId === devChainId &&
    differing.length > 0 &&
    differing.every(
      (key) => key === 'deploymentBlockHash' || key === 'governor' || key === 'token',
    );
  if (replacedDevChain) {
    logger?.warn('chain_replaced', {
      previousDeploymentBlockHash: stored!.deploymentBlockHash,
      deploymentBlockHash: wanted.deploymentBlockHash,
    });
    await db.transaction(async (tx) => {
      await tx.delete(ballots);
      await tx.update(relayerState).set({ ...wanted, createdAt: Date.now() });
    });
    return;
  }
  if (differing.length) {
    throw new ConfigError(
      `this queue's database belongs to another ${[...new Set(differing.map(describe))].join(' and ')}; give the relayer its own --data-dir (or database) for this one`,
      Object.fromEntries(differing.map((key) => [key, { stored: stored![key], now: wanted[key] }])),
    );
  }
}

const describe = (key: keyof QueueOwner) =>
  ({
    chainId: 'chain',
    governor: 'deployment',
    token: 'deployment',
    deploymentBlockHash: 'chain (the deployment block differs: a fresh dev chain?)',
    relayer: 'key (RELAYER_PRIVATE_KEY)',
  })[key];
