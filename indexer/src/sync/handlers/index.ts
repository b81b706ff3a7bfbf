import type { Abi, Hex } from 'viem';

import { accounts, proposals } from '../../database/schema';
import type { Store } from '../../database/store';

import type { ChainEvent, ContractName } from '../decodeLogs';
import type { HandlerContext, Handlers } from './context';
import { evidenceHandlers } from './evidence';
import { governorHandlers } from './governor';
import { modelHandlers } from './model';
import { policyHandlers } from './policy';
import { timelockHandlers } from './timelock';
import { tokenHandlers } from './token';

type AnyHandler = (args: unknown, ctx: HandlerContext) => Promise<void>;

const handlers: Record<ContractName, Handlers<Abi>> = {
  token: tokenHandlers,
  governor: governorHandlers,
  timelock: timelockHandlers,
  evidenceRegistry: evidenceHandlers,
  policyRegistry: policyHandlers,
  modelRegistry: modelHandlers,
} as unknown as Record<ContractName, Handlers<Abi>>;

/** Applies one event to the database; events without a handler change nothing. */
export async function handleEvent(event: ChainEvent, ctx: Omit<HandlerContext, 'event'>) {
  const handler = (handlers[event.contract] as Record<string, AnyHandler | undefined>)[
    event.eventName
  ];
  if (handler) await handler(event.args, { ...ctx, event });
}

/** Loads in two queries the accounts and proposals a batch of events will touch. */
export async function prefetch(store: Store, events: ChainEvent[]): Promise<void> {
  const addresses = new Set<Hex>();
  const proposalIds = new Set<bigint>();
  for (const event of events) {
    if (event.contract === 'token' || event.eventName.startsWith('VoteCast')) {
      for (const value of Object.values(event.args)) {
        if (typeof value === 'string' && value.length === 42) addresses.add(value as Hex);
      }
    }
    if (event.contract === 'governor' && typeof event.args.proposalId === 'bigint') {
      proposalIds.add(event.args.proposalId);
    }
  }
  await store.prefetch(accounts, [...addresses]);
  await store.prefetch(proposals, [...proposalIds]);
}
