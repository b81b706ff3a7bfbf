import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createFreshness } from './freshness';

/** A page whose data was served at `block`; a reload serves it at what the indexer has then. */
function page(block: number) {
  const state = { block, indexer: block, reloads: 0, navigating: false };
  const freshness = createFreshness({
    pageBlock: () => state.block,
    reload: () => {
      state.reloads++;
      state.block = state.indexer;
      return Promise.resolve();
    },
    canReload: () => !state.navigating,
    delayMs: 100,
  });
  return { state, freshness };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createFreshness', () => {
  it('reloads a page once the indexer reports a block past the one it was served at', async () => {
    const { state, freshness } = page(10);
    freshness.indexed(10);
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.reloads).toBe(0);

    // Block 11 turns a pending proposal active; no change event says so.
    state.indexer = 11;
    freshness.indexed(11);
    await vi.advanceTimersByTimeAsync(100);
    expect(state.reloads).toBe(1);
    expect(state.block).toBe(11);
  });

  it('coalesces a burst of changes and blocks into one reload', async () => {
    const { state, freshness } = page(10);
    state.indexer = 12;
    freshness.changed();
    freshness.indexed(11);
    freshness.changed();
    freshness.indexed(12);
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.reloads).toBe(1);
  });

  it('tries again while a reload comes back older than the announced block', async () => {
    const { state, freshness } = page(10);
    // The stream says 12; the next response is still served at 11, the one after at 12.
    state.indexer = 11;
    freshness.indexed(12);
    await vi.advanceTimersByTimeAsync(100);
    expect(state.reloads).toBe(1);
    expect(state.block).toBe(11);
    state.indexer = 12;
    await vi.advanceTimersByTimeAsync(200);
    expect(state.reloads).toBe(2);
    expect(state.block).toBe(12);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.reloads).toBe(2);
  });

  it('gives up after a few tries, and never reloads over a navigation', async () => {
    const { state, freshness } = page(10);
    freshness.indexed(20);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.reloads).toBe(6);

    const other = page(10);
    other.state.navigating = true;
    other.state.indexer = 11;
    other.freshness.indexed(11);
    await vi.advanceTimersByTimeAsync(1000);
    expect(other.state.reloads).toBe(0);
  });
});
