import type { Deployment } from '@charter/contracts';
import type { Abi, ContractEventName, DecodeEventLogReturnType, Hex } from 'viem';
import { zeroAddress } from 'viem';

import { accounts, governance } from '../../database/schema';
import type { Store } from '../../database/store';
import type { ChainEvent } from '../decodeLogs';

export interface HandlerContext {
  store: Store;
  event: ChainEvent;
  deployment: Deployment;
}

type EventArgs<abi extends Abi, name extends ContractEventName<abi>> = DecodeEventLogReturnType<
  abi,
  name
>['args'];

/** What each event of a contract does to the database. */
export type Handlers<abi extends Abi> = {
  [name in ContractEventName<abi>]?: (
    args: EventArgs<abi, name>,
    ctx: HandlerContext,
  ) => Promise<void>;
};

/** An address's row, created empty the first time the token mentions it. */
export async function account(store: Store, address: Hex) {
  return (
    (await store.find(accounts, { address })) ??
    store.set(accounts, {
      address,
      balance: 0n,
      delegate: null,
      votingPower: 0n,
      delegatorCount: 0,
      votesCast: 0,
    })
  );
}

export const governanceRow = (store: Store) => store.get(governance, { id: 1 });

export const isZeroAddress = (address: Hex) => address === zeroAddress;

export const zeroHash = `0x${'0'.repeat(64)}` as const;
