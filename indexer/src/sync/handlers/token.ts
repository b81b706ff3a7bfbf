import type { charterTokenAbi } from '@charter/contracts';

import { accounts, governance } from '../../database/schema';
import { account, governanceRow, isZeroAddress, type Handlers } from './context';

export const tokenHandlers: Handlers<typeof charterTokenAbi> = {
  async Transfer({ from, to, value }, { store }) {
    if (isZeroAddress(from) || isZeroAddress(to)) {
      const { totalSupply } = await governanceRow(store);
      const supply = isZeroAddress(from) ? totalSupply + value : totalSupply - value;
      await store.update(governance, { id: 1 }, { totalSupply: supply });
    }
    if (!isZeroAddress(from)) {
      const sender = await account(store, from);
      store.set(accounts, { ...sender, balance: sender.balance - value });
    }
    if (!isZeroAddress(to)) {
      const recipient = await account(store, to);
      store.set(accounts, { ...recipient, balance: recipient.balance + value });
    }
  },

  async DelegateChanged({ delegator, fromDelegate, toDelegate }, { store }) {
    const row = await account(store, delegator);
    store.set(accounts, { ...row, delegate: isZeroAddress(toDelegate) ? null : toDelegate });
    if (!isZeroAddress(fromDelegate)) {
      const from = await account(store, fromDelegate);
      store.set(accounts, { ...from, delegatorCount: from.delegatorCount - 1 });
    }
    if (!isZeroAddress(toDelegate)) {
      const to = await account(store, toDelegate);
      store.set(accounts, { ...to, delegatorCount: to.delegatorCount + 1 });
    }
  },

  async DelegateVotesChanged({ delegate, newVotes }, { store }) {
    const row = await account(store, delegate);
    store.set(accounts, { ...row, votingPower: newVotes });
  },
};
