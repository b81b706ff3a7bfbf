import { onDemandPollingInterval, pollingIntervalFor } from '@charter/contracts';

import type { Logger } from '../log';
import { getHeader } from './chain';
import type { Rpc } from './rpc';

/** Blocks over which the block time is averaged. */
const span = 20;

/**
 * The polling interval when none was configured, from the chain itself: `onDemandPollingInterval` on a
 * node that mines on demand (anvil or Hardhat with automine on, where gaps between blocks say nothing),
 * otherwise half the block time measured over the last blocks, between 250 ms and 6 s
 * (`pollingIntervalFor`, the rule receipt polling follows too); 1 s on a chain too young to measure: the
 * rule of `choosePollingInterval` in @charter/contracts, asked through the indexer's own RPC layer.
 * On a 12-second chain that is one `eth_getBlockByNumber` every 6 s instead of 120 at 100 ms.
 */
export async function choosePollingInterval(rpc: Rpc, logger: Logger): Promise<number> {
  if (await minesOnDemand(rpc)) {
    logger.info('polling', { intervalMs: onDemandPollingInterval, minesOnDemand: true });
    return onDemandPollingInterval;
  }
  const head = await getHeader(rpc, 'latest');
  let blockTimeSeconds: number | undefined;
  if (head.number >= 2) {
    const earlier = await getHeader(rpc, Math.max(1, head.number - span));
    const seconds = head.timestamp - earlier.timestamp;
    if (seconds > 0) blockTimeSeconds = seconds / (head.number - earlier.number);
  }
  const intervalMs = pollingIntervalFor(blockTimeSeconds);
  logger.info('polling', { intervalMs, blockTimeSeconds });
  return intervalMs;
}

/** anvil and Hardhat's node say whether they automine; any other node (a provider) does not. */
async function minesOnDemand(rpc: Rpc): Promise<boolean> {
  for (const method of ['anvil_getAutomine', 'hardhat_getAutomine']) {
    try {
      return (await rpc.request<boolean>(method, [], { giveUp: () => true })) === true;
    } catch {
      // not this node's method
    }
  }
  return false;
}
