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
