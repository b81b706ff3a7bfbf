import { measureBlockTime, pollingIntervalFor } from '@charter/contracts';
import type { PublicClient } from 'viem';

/** A chain that mines a block per transaction: asking costs nothing and a new block can come any moment. */
export const onDemandPollingInterval = 100;

/**
 * The polling interval when none was configured, by the indexer's rule: 100 ms on a node that mines on
 * demand (anvil or Hardhat with automine on), otherwise half the measured block time between 250 ms and
 * 6 s (`pollingIntervalFor`), 1 s on a chain too young to measure.
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
