import { gasLimitFor } from '@charter/contracts';
import { decodeCharterError } from '@charter/contracts/protocol';
import { BaseError as ViemError, type Hex } from 'viem';

import type { RelayerChain } from './createChain';

/** A call that would revert, with its decoded reason. */
export class WouldRevert extends Error {
  override name = 'WouldRevert';
  constructor(
    /** The custom error's name, or "Reverted" when the data matched none. */
    readonly reason: string,
    message: string,
    readonly args: readonly unknown[] = [],
  ) {
    super(message);
  }
}

/**
 * Runs the call from the relayer's account against the pending block and returns the gas limit to send it
 * with; throws `WouldRevert` with the decoded reason when it would revert. Other failures (the RPC is down)
 * pass through.
 */
export async function simulate(chain: RelayerChain, call: { to: Hex; data: Hex }): Promise<bigint> {
  try {
    return await gasLimitFor(chain.client, { account: chain.account.address, ...call });
  } catch (error) {
    const data = revertData(error);
    if (data === undefined) {
      if (isRevert(error)) throw new WouldRevert('Reverted', 'The call reverts without a reason.');
      throw error;
    }
    const decoded = decodeCharterError(data);
    if (!decoded) {
      throw new WouldRevert('Reverted', `The call reverts with unknown data ${data.slice(0, 10)}.`);
    }
    throw new WouldRevert(decoded.name, decoded.message, decoded.args);
  }
}

/** The revert data a node returned, wherever viem nested it. */
export function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof ViemError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data)) found = data as Hex;
    else if (
      typeof data === 'object' &&
      data &&
      typeof (data as { data?: unknown }).data === 'string'
    )
      found = (data as { data: Hex }).data;
    return false;
  });
  return found;
}

function isRevert(error: unknown): boolean {
  return error instanceof ViemError && /revert/i.test(`${error.shortMessage} ${error.details}`);
}
