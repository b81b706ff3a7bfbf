// Which indexed blocks a request's data was read at: every indexer answer a render reads is noted here,
// through the request's async context, so the rendered page can be cached at the oldest of them.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadBlocks {
  /** The oldest block read so far (Infinity before any read). */
  oldest: number;
  /** An answer without a block was read (an error, an unknown path): the render is not shared. */
  unknown: boolean;
  /** The render read something of one reader's own (the request's cookies): it is not shared. */
  personal: boolean;
}

const storage = new AsyncLocalStorage<ReadBlocks>();

/** Runs `render` with a fresh record of the blocks it reads, and returns both. */
export async function trackReads<T>(
  render: () => Promise<T>,
): Promise<{ result: T; reads: ReadBlocks }> {
  const reads: ReadBlocks = { oldest: Infinity, unknown: false, personal: false };
  const result = await storage.run(reads, render);
  return { result, reads };
}

/** Notes that the current render read an answer at `block` (NaN: at no known block). */
export function noteRead(block: number): void {
  const reads = storage.getStore();
  if (!reads) return;
  if (Number.isSafeInteger(block)) reads.oldest = Math.min(reads.oldest, block);
  else reads.unknown = true;
}

/** Notes that the current render read something that differs between readers. */
export function notePersonal(): void {
  const reads = storage.getStore();
  if (reads) reads.personal = true;
}
