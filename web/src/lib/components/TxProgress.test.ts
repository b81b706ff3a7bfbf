// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  MAX_TRANSACTIONS,
  SETTLED_MS,
  settleTransaction,
  trackTransaction,
  transactions,
} from '$lib/wallet/state.svelte';
import TxProgress from './TxProgress.svelte';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  transactions.length = 0;
});

describe('TxProgress', () => {
  it('shows at most a few transactions, newest first', () => {
    for (let id = 1; id <= MAX_TRANSACTIONS + 2; id++) {
      trackTransaction({ id, label: `Tx ${id}`, step: 'signing' });
    }
    render(TxProgress);
    const shown = screen.getAllByRole('article').map((a) => a.querySelector('strong')?.textContent);
    expect(shown).toEqual(['Tx 5', 'Tx 4', 'Tx 3']);
  });

  it('lets any transaction be closed, a failed one included', async () => {
    trackTransaction({ id: 1, label: 'Vote for', step: 'failed', error: 'Rule 1 is not met' });
    render(TxProgress);
    expect(screen.getByRole('alert').textContent).toBe('Rule 1 is not met');
    await fireEvent.click(screen.getByRole('button', { name: 'Close: Vote for' }));
    expect(screen.queryByRole('article')).toBeNull();
    expect(screen.getByLabelText('Transactions').hidden).toBe(true);
  });

  it('lets a transaction that went through leave by itself; a failure stays', () => {
    vi.useFakeTimers();
    trackTransaction({ id: 1, label: 'Queue proposal', step: 'indexed' });
    trackTransaction({ id: 2, label: 'Execute proposal', step: 'failed', error: 'Not ready' });
    render(TxProgress);
    settleTransaction(1);
    vi.advanceTimersByTime(SETTLED_MS - 1);
    flushSync();
    expect(screen.getAllByRole('article')).toHaveLength(2);
    vi.advanceTimersByTime(1);
    flushSync();
    expect(screen.getAllByRole('article').map((a) => a.dataset.step)).toEqual(['failed']);
    vi.advanceTimersByTime(60_000);
    flushSync();
    expect(screen.getAllByRole('article')).toHaveLength(1);
  });

  it("shows a relayed ballot's own steps: queued in the relayer, then sent", () => {
    trackTransaction({ id: 1, label: 'Vote for (no gas)', step: 'queued', relayed: true });
    trackTransaction({ id: 2, label: 'Vote against', step: 'pending' });
    render(TxProgress);
    const [plain, relayed] = screen.getAllByRole('article');
    const steps = (article: HTMLElement) =>
      [...article.querySelectorAll('li')].map((li) => [
        li.textContent?.trim(),
        li.classList.contains('done'),
      ]);
    expect(steps(relayed!)).toEqual([
      ['Signing', true],
      ['Queued', true],
      ['Sent', false],
      ['Mined', false],
      ['Indexed', false],
    ]);
    expect(steps(plain!).map(([label]) => label)).toEqual([
      'Signing',
      'Pending',
      'Mined',
      'Indexed',
    ]);
  });
});
