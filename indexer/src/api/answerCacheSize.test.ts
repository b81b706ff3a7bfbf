import { describe, expect, it } from 'vitest';

import type { SyncEvent } from './stream';
import { createAnswerCache, type IndexedStatus } from './answerCache';

// The cache's memory bound (`answerCacheMegabytes`, `--answer-cache-mb`): answers beyond it push out the
// least recently used ones, and a bound of 0 keeps nothing.
describe('the answer cache’s size', () => {
  const status: IndexedStatus = { indexedBlock: 7, indexedHash: '0xb7', indexedTimestamp: 70 };
  const at = { indexedBlock: 7, indexedHash: '0xb7', indexedTimestamp: 70 };
  /** A 221-byte answer per URL (525 bytes with its key and overhead), counting the reads made. */
  function cacheOf(maxBytes: number) {
    const reads: string[] = [];
    const listeners: ((event: SyncEvent) => void)[] = [];
    const cache = createAnswerCache({
      chainId: 31337,
      status: { ...status },
      subscribe: (listener) => {
        listeners.push(listener);
        return () => {};
      },
      maxBytes,
    });
    const get = async (url: string) =>
      cache.answer(url, () => {
        reads.push(url);
        return Promise.resolve({ at, json: JSON.stringify({ url, pad: 'x'.repeat(200) }) });
      });
    return { cache, reads, get };
  }

  it('keeps what fits and pushes out the least recently used answer', async () => {
    const { cache, reads, get } = cacheOf(4_500); // room for eight answers, not nine
    const urls = ['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8'];
    for (const url of urls) await get(url);
    expect(cache.size).toEqual({ entries: 8, bytes: 8 * 525 });
    await get('/1'); // a hit: now the most recently used
    await get('/9'); // no room: /2, the least recently used, goes
    expect(cache.size).toEqual({ entries: 8, bytes: 8 * 525 });
    reads.length = 0;
    for (const url of [...urls.filter((url) => url !== '/2'), '/9']) await get(url);
    expect(reads).toEqual([]); // all still cached
    await get('/2');
    expect(reads).toEqual(['/2']); // read again
  });

  it('keeps nothing with a bound of 0, and never lets one answer take more than a quarter', async () => {
    const none = cacheOf(0);
    await none.get('/a');
    await none.get('/a');
    expect(none.reads).toEqual(['/a', '/a']);
    expect(none.cache.size).toEqual({ entries: 0, bytes: 0 });

    const small = cacheOf(2_000); // a quarter is 500 bytes: a 525-byte answer is served, not kept
    await small.get('/a');
    expect(small.cache.size.entries).toBe(0);
  });
});
