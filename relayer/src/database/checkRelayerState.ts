import type { Hex } from 'viem';

import { ConfigError } from '../errors';
import type { Database } from './openDatabase';
import { relayerState } from './schema';

export interface QueueOwner {
  chainId: number;
  governor: Hex;
  token: Hex;
  deploymentBlockHash: Hex;
  relayer: Hex;
}

/**
 * Records which chain, contracts and key the queue belongs to on first start, and refuses a database that
 * belongs to others: its stored transactions must never be broadcast anywhere else.
 */
export async function checkRelayerState(db: Database, owner: QueueOwner): Promise<void> {
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
