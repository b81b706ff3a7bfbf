import type { timelockControllerAbi } from '@charter/contracts';

import { governance, proposals, timelockOperations } from '../../database/schema';
import type { Handlers } from './context';

/**
 * The timelock lets anyone execute a ready operation: a proposal executed on the timelock directly, or
 * cancelled there, changes the governor's `state()` without a governor event.
 */
export const timelockHandlers: Handlers<typeof timelockControllerAbi> = {
  async MinDelayChange({ newDuration }, { store }) {
    await store.update(governance, { id: 1 }, { timelockDelay: Number(newDuration) });
  },

  async CallExecuted({ id }, { store, event }) {
    const operation = await store.find(timelockOperations, { id });
    if (!operation) return;
    const proposal = await store.get(proposals, { id: operation.proposalId });
    if (proposal.executed) return;
    store.set(proposals, {
      ...proposal,
      executed: true,
      executedAt: event.at,
      executedBlock: event.block,
      executedTx: event.tx,
    });
  },

  async Cancelled({ id }, { store, event }) {
    const operation = await store.find(timelockOperations, { id });
    if (!operation) return;
    const proposal = await store.get(proposals, { id: operation.proposalId });
    if (proposal.canceled || proposal.executed) return;
    store.set(proposals, {
      ...proposal,
      canceled: true,
      canceledAt: event.at,
      canceledBlock: event.block,
      canceledTx: event.tx,
    });
  },
};
