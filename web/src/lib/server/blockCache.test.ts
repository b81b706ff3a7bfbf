import { describe, expect, it } from 'vitest';

import { BlockCache } from './blockCache';
import { toSignal } from './upstream';

const live = (maxBytes = 1000) => {
  const cache = new BlockCache<string>(maxBytes);
  cache.setLive(true);
  return cache;
};

describe('BlockCache', () => {
  it('serves nothing until the stream is connected, and nothing once it is lost', () => {
    const cache = new BlockCache<string>(1000);
    expect(cache.put('/a', cache.ticket(), 5, 'a@5', 1)).toBe(false);
    cache.setLive(true);
    expect(cache.put('/a', cache.ticket(), 5, 'a@5', 1)).toBe(true);
    expect(cache.get('/a')).toBe('a@5');
    cache.setLive(false);
    expect(cache.get('/a')).toBeUndefined();
    cache.setLive(true);
    expect(cache.get('/a')).toBeUndefined();
  });

  it('drops what was read before a block the stream announces, and keeps what was read at or after it', () => {
    const cache = live();
    cache.put('/old', cache.ticket(), 5, 'old@5', 1);
    cache.put('/ahead', cache.ticket(), 7, 'ahead@7', 1);
    cache.signal({ kind: 'block', number: 6, hash: '0x6' });
    expect(cache.get('/old')).toBeUndefined();
    expect(cache.get('/ahead')).toBe('ahead@7');
    // A change names its block before the block event does.
    cache.signal({ kind: 'change', block: 8 });
    expect(cache.get('/ahead')).toBeUndefined();
    expect(cache.announcedBlock).toBe(8);
  });

  it('refuses a value read before the announced block, and one whose fill spanned a reorg', () => {
    const cache = live();
    cache.signal({ kind: 'block', number: 10, hash: '0xa' });
    expect(cache.put('/late', cache.ticket(), 9, 'late@9', 1)).toBe(false);
    const before = cache.ticket();
    cache.signal({ kind: 'block', number: 9, hash: '0x9' }); // the chain went back: a reorg
    expect(cache.put('/orphan', before, 10, 'orphan@10', 1)).toBe(false);
    expect(cache.put('/after', cache.ticket(), 9, 'after@9', 1)).toBe(true);
  });

  it('treats a lower block, the same block with another hash, or a change at or below it as a reorg', () => {
    const cache = live();
    cache.signal({ kind: 'block', number: 10, hash: '0xa' });
    cache.put('/p', cache.ticket(), 12, 'p@12', 1);
    cache.signal({ kind: 'block', number: 10, hash: '0xa' }); // repeated: nothing new
    expect(cache.get('/p')).toBe('p@12');
    cache.signal({ kind: 'block', number: 10, hash: '0xb' });
    expect(cache.get('/p')).toBeUndefined();

    cache.put('/p', cache.ticket(), 12, 'p@12', 1);
    cache.signal({ kind: 'change', block: 10 }); // a rollback names the common ancestor
    expect(cache.get('/p')).toBeUndefined();
  });

  it('forgets everything on a change at the indexed block: off-chain data such as a statement, also before any block is announced', () => {
    const cache = live();
    cache.put('/delegates', cache.ticket(), 10, 'before@10', 1);
    cache.signal({ kind: 'change', block: 10 });
    expect(cache.get('/delegates')).toBeUndefined();
    cache.signal({ kind: 'block', number: 10, hash: '0xa' });
    cache.put('/delegates', cache.ticket(), 10, 'before@10', 1);
    cache.signal({ kind: 'change', block: 10 });
    expect(cache.get('/delegates')).toBeUndefined();
  });

  it('runs one fill per key for readers that arrive together, and a new one after an announcement', async () => {
    const cache = live();
    let fills = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fill = () =>
      cache.fill('/p', async () => {
        const number = ++fills;
        await gate;
        return `fill ${number}`;
      });
    const together = [fill(), fill(), fill()];
    cache.signal({ kind: 'block', number: 3, hash: '0x3' });
    const later = fill();
    release();
    expect(await Promise.all(together)).toEqual(['fill 1', 'fill 1', 'fill 1']);
    expect(await later).toBe('fill 2');
  });

  it('keeps within its memory, forgetting the least recently used first', () => {
    const cache = live(100);
    cache.put('/a', cache.ticket(), 1, 'a', 20);
    cache.put('/b', cache.ticket(), 1, 'b', 20);
    cache.put('/c', cache.ticket(), 1, 'c', 20);
    cache.get('/a');
    cache.put('/d', cache.ticket(), 1, 'd', 20);
    cache.put('/e', cache.ticket(), 1, 'e', 20);
    cache.put('/f', cache.ticket(), 1, 'f', 20);
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.get('/a')).toBe('a');
    expect(cache.put('/huge', cache.ticket(), 1, 'huge', 60)).toBe(false);
    expect(new BlockCache<string>(0).enabled).toBe(false);
  });
});

describe('toSignal', () => {
  it("reads the indexer's block and change events, and starts over on one it cannot read", () => {
    expect(toSignal('block', '{"number":7,"hash":"0x7","timestamp":1}')).toEqual({
      kind: 'block',
      number: 7,
      hash: '0x7',
    });
    expect(toSignal('change', '{"kind":"vote","id":"1","block":7}')).toEqual({
      kind: 'change',
      block: 7,
    });
    expect(toSignal('block', 'not json')).toEqual({ kind: 'reset' });
    expect(toSignal('something-new', '{}')).toBeUndefined();
  });
});
