import type { Hex } from 'viem';

import { RpcResponseError, RpcTransportError, type BaseError } from '../errors';
import type { Logger } from '../log';
import type { RawLog } from './decodeLogs';
import type { Rpc } from './rpc';

/** The current `eth_getLogs` range, shared by successive calls so that what was learned sticks. */
export interface LogRange {
  size: number;
  max: number;
}

/** What providers say when a range is too large or returns too much. */
const refusal =
  /range|too many|too large|more than|exceed|limit|response size|result window|timeout|timed out/i;

const isRefusal = (error: BaseError) =>
  (error instanceof RpcResponseError &&
    refusal.test(error.shortMessage) &&
    !/rate/i.test(error.shortMessage)) ||
  (error instanceof RpcTransportError && error.details.timeout !== undefined) ||
  (error instanceof RpcTransportError && error.details.status === 413);

/**
 * Logs of `addresses` from `from` up to at most `to`, in a single call whose range adapts: halved (or set
 * to the range the provider suggests) when the provider refuses it, doubled after a success.
 * Returns the logs and the last block they cover.
 */
export async function fetchLogs(
  rpc: Rpc,
  addresses: Hex[],
  from: number,
  to: number,
  range: LogRange,
  logger: Logger,
): Promise<{ logs: RawLog[]; to: number }> {
  for (;;) {
    const end = Math.min(to, from + range.size - 1);
    try {
      const logs = await rpc.request<RawLog[]>(
        'eth_getLogs',
        [
          {
            address: addresses,
            fromBlock: `0x${from.toString(16)}`,
            toBlock: `0x${end.toString(16)}`,
          },
        ],
        { giveUp: (error) => end > from && isRefusal(error) },
      );
      if (!Array.isArray(logs))
        throw new RpcTransportError('eth_getLogs returned no list', { from, to: end });
      range.size = Math.min(range.max, range.size * 2);
      return { logs, to: end };
    } catch (error) {
      if (!(end > from && isRefusal(error as BaseError))) throw error;
      const suggested = suggestedRange((error as Error).message, from);
      range.size = Math.max(1, suggested ?? Math.floor((end - from + 1) / 2));
      logger.debug('log_range_refused', { from, to: end, nextRange: range.size });
    }
  }
}

/** Some providers name a range that would work: "try with this block range [0x1, 0x2]". */
function suggestedRange(message: string, from: number): number | undefined {
  const match = /\[(0x[0-9a-f]+),\s*(0x[0-9a-f]+)\]/i.exec(message);
  if (!match) return undefined;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return start === from && end >= start ? end - start + 1 : undefined;
}
