// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Vote } from '$lib/indexer';
import type * as Session from '$lib/wallet/session';
import { transactions } from '$lib/wallet/state.svelte';
import { wallet } from '$lib/wallet/state.svelte';
import CastVote from './CastVote.svelte';

// The layout's data as SvelteKit hands it to components: whether a relayer is configured.
const layout = vi.hoisted(() => ({ data: { relayer: false } as Record<string, unknown> }));
vi.mock('$app/state', () => ({ page: layout }));
// The connected account's ETH as the wallet code reads it; undefined: it cannot be read (no wallet session).
const chain = vi.hoisted(() => ({ balance: undefined as bigint | undefined, reads: 0 }));
vi.mock('$lib/wallet/session', async (original) => ({
  ...(await original<typeof Session>()),
  ethBalance: () => {
    chain.reads++;
    return chain.balance === undefined
      ? Promise.reject(new Error('Connect a wallet first.'))
      : Promise.resolve(chain.balance);
  },
}));

const me = `0x${'ab'.repeat(20)}` as const;
const props = { proposalId: '42', governor: `0x${'01'.repeat(20)}`, open: true, voteCount: 3 };
const myVote: Vote = {
  voter: me,
  support: 'against',
  weight: (60_000n * 10n ** 18n).toString(),
  reason: 'Deprecating would do.',
  params: '0x',
  block: 10,
  tx: `0x${'cd'.repeat(32)}`,
  at: 1_700_000_000,
};

/** The web server's per-account endpoint, as the browser sees it. */
function answer(vote: Vote | null) {
  const requests: string[] = [];
  vi.stubGlobal('fetch', (url: string) => {
    requests.push(url);
    return Promise.resolve(new Response(JSON.stringify({ vote })));
  });
  return requests;
}

beforeEach(() => {
  wallet.account = me;
  wallet.chainId = null;
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  wallet.account = null;
  layout.data = { relayer: false };
  chain.balance = undefined;
  chain.reads = 0;
  transactions.length = 0;
});

describe('CastVote', () => {
  it('shows an account that already voted its vote, not the form', async () => {
    const requests = answer(myVote);
    render(CastVote, { ...props, symbol: 'CHR' });
    expect(await screen.findByTestId('my-vote')).toBeTruthy();
    expect(screen.getByTestId('my-vote').textContent).toContain('Against');
    expect(screen.getByTestId('my-vote').textContent).toContain('60,000 CHR');
    expect(screen.getByTestId('my-vote').textContent).toContain('Deprecating would do.');
    expect(screen.queryByRole('button', { name: 'Submit vote' })).toBeNull();
    expect(requests).toEqual([`/api/proposals/42/votes/${me}`]);
  });

  it('offers the form to an account that has not voted, once it knows', async () => {
    answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    const button = screen.getByRole('button', { name: 'Submit vote' });
    expect(button.hasAttribute('disabled')).toBe(true);
    await vi.waitFor(() => expect(button.hasAttribute('disabled')).toBe(false));
    expect(screen.queryByTestId('my-vote')).toBeNull();
  });

  it('shows the vote even once voting has closed', async () => {
    answer(myVote);
    render(CastVote, { ...props, open: false, symbol: 'CHR' });
    expect(await screen.findByTestId('my-vote')).toBeTruthy();
  });

  it('offers to vote without gas only when a relayer is configured', async () => {
    answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'Submit vote' }).hasAttribute('disabled')).toBe(
        false,
      ),
    );
    expect(screen.queryByRole('button', { name: 'Vote without gas' })).toBeNull();
    cleanup();

    layout.data = { relayer: true };
    render(CastVote, { ...props, symbol: 'CHR' });
    const gasless = screen.getByRole('button', { name: 'Vote without gas' });
    await vi.waitFor(() => expect(gasless.hasAttribute('disabled')).toBe(false));
    expect(screen.getByRole('button', { name: 'Submit vote' })).toBeTruthy();
  });

  it('shows a gasless vote that cannot be signed as failed in words, without asking the relayer', async () => {
    // The account is known but no wallet session holds it: nothing can sign.
    layout.data = { relayer: true };
    const requests = answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    const gasless = screen.getByRole('button', { name: 'Vote without gas' });
    await vi.waitFor(() => expect(gasless.hasAttribute('disabled')).toBe(false));
    await fireEvent.click(gasless);
    await vi.waitFor(() => expect(transactions[0]?.step).toBe('failed'), { timeout: 10_000 });
    expect(transactions[0]).toMatchObject({
      label: 'Vote for (no gas)',
      relayed: true,
      error: 'Connect a wallet first.',
    });
    expect(requests.filter((url) => url.startsWith('/api/relayer'))).toEqual([]);
  });

  it('tells an account with no ETH so, and offers to vote without gas first', async () => {
    layout.data = { relayer: true };
    chain.balance = 0n;
    answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    const hint = await screen.findByTestId('no-gas');
    expect(hint.textContent).toBe(
      'This account does not have enough ETH to pay for gas: use “Vote without gas” instead.',
    );
    const buttons = screen.getAllByRole('button').map((b) => b.textContent?.trim());
    expect(buttons).toEqual(['Vote without gas', 'Submit vote']);
  });

  it('without a relayer, says only that the account has no ETH', async () => {
    chain.balance = 0n;
    answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    expect((await screen.findByTestId('no-gas')).textContent).toBe(
      'This account does not have enough ETH to pay for gas.',
    );
    expect(screen.queryByRole('button', { name: 'Vote without gas' })).toBeNull();
  });

  it('says nothing of gas to an account with ETH', async () => {
    layout.data = { relayer: true };
    chain.balance = 1n;
    answer(null);
    render(CastVote, { ...props, symbol: 'CHR' });
    const submit = screen.getByRole('button', { name: 'Submit vote' });
    await vi.waitFor(() => expect(submit.hasAttribute('disabled')).toBe(false));
    await vi.waitFor(() => expect(chain.reads).toBeGreaterThan(0));
    await tick();
    expect(screen.queryByTestId('no-gas')).toBeNull();
    const buttons = screen.getAllByRole('button').map((b) => b.textContent?.trim());
    expect(buttons).toEqual(['Submit vote', 'Vote without gas']);
  });
});
