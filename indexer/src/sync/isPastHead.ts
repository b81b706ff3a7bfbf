import { BlockNotFoundError, RpcResponseError } from '../errors';
import { getHeadNumber } from './chain';
import type { Rpc } from './rpc';

/**
 * Whether `error`, the answer to a request for blocks up to `to`, only says that the chain no longer
 * reaches `to`: it was reorganized to a shorter branch (reverted, on anvil) after its head was read. The
 * caller then reads the head again, and the parent-hash check finds the reorg, if any.
 *
 * Nodes refuse such a request each in their own code and words (anvil -32602 "BlockOutOfRangeError",
 * "block range extends beyond current head", "header not found", "unknown block") or answer no block, so
 * the head is asked rather than the message parsed. A request refused for blocks the chain does have is not
 * this: it keeps its error, and one that retrying cannot fix still stops the sync.
 */
export async function isPastHead(rpc: Rpc, error: unknown, to: number): Promise<boolean> {
  if (!(error instanceof RpcResponseError || error instanceof BlockNotFoundError)) return false;
  return (await getHeadNumber(rpc)) < to;
}
