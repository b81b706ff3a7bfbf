import type { PublicClient } from 'viem';

// Polling follows the chain's own block time, fetched rather than assumed: a dev chain that mines on demand
// is polled often, a 12-second chain every few seconds, and a metered provider is not asked 10 times a block.

/** Seconds between blocks, averaged over the last `span` blocks; undefined for a chain too young to say. */
export async function measureBlockTime(
  client: PublicClient,
  span = 20n,
): Promise<number | undefined> {
  const head = await client.getBlock({ blockTag: 'latest' });
  if (head.number < 2n) return undefined;
  const from = head.number > span ? head.number - span : 1n;
  const earlier = await client.getBlock({ blockNumber: from });
  const blocks = Number(head.number - from);
  const seconds = Number(head.timestamp - earlier.timestamp);
  return blocks > 0 && seconds > 0 ? seconds / blocks : undefined;
}

/**
 * How often to ask for a receipt or a new block: half the block time, between 250 ms and 6 s. A chain that
 * mines on demand (anvil, automine) shows gaps of any length between blocks, so when the block time is
 * unknown or long while blocks arrive on demand, `fallback` decides.
 */
export function pollingIntervalFor(blockTimeSeconds: number | undefined, fallback = 1_000): number {
  if (blockTimeSeconds === undefined) return fallback;
  return Math.min(6_000, Math.max(250, Math.round((blockTimeSeconds * 1000) / 2)));
}

/** A chain that mines a block per transaction: asking costs nothing and a new block can come any moment. */
export const onDemandPollingInterval = 100;

/**
 * The polling interval when none was configured, from the chain itself: `onDemandPollingInterval` on a node
 * that mines on demand (anvil or Hardhat with automine on, where gaps between blocks say nothing), otherwise
 * half the measured block time between 250 ms and 6 s (`pollingIntervalFor`), 1 s on a chain too young to
 * measure. The notifier and the relayer use it as is; the indexer asks the same through its own RPC layer.
 */
export async function choosePollingInterval(client: PublicClient): Promise<number> {
  const request = client.request as (request: { method: string }) => Promise<unknown>;
  for (const method of ['anvil_getAutomine', 'hardhat_getAutomine']) {
    const automine = await request({ method }).catch(() => undefined);
    if (automine === true) return onDemandPollingInterval;
    if (automine === false) break;
  }
  return pollingIntervalFor(await measureBlockTime(client));
}
