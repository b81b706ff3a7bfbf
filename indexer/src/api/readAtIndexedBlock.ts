import type { IndexedAt } from '../client/types';
import type { Database } from '../database/openDatabase';
import { syncState } from '../database/schema';

/** The block an answer was read at: what the answer names, and the hash that tells a reorg apart. */
export interface ReadAt extends IndexedAt {
  indexedHash: string;
}

/**
 * Runs `read` in one read-only, repeatable-read transaction, with the indexed block that snapshot holds:
 * every query of an answer sees the same block, so an answer is never older than the block it names, and
 * nothing the sync commits meanwhile half-appears in it.
 */
export async function readAtIndexedBlock<T>(
  db: Database,
  read: (tx: Database, at: IndexedAt) => Promise<T>,
): Promise<{ at: ReadAt; value: T }> {
  return db.transaction(
    async (tx) => {
      // The first statement fixes the snapshot.
      const [row] = await tx
        .select({
          indexedBlock: syncState.indexedBlock,
          indexedHash: syncState.indexedHash,
          indexedTimestamp: syncState.indexedTimestamp,
        })
        .from(syncState);
      const { indexedHash, ...at } = row ?? {
        indexedBlock: 0,
        indexedHash: '',
        indexedTimestamp: 0,
      };
      return { at: { ...at, indexedHash }, value: await read(tx as unknown as Database, at) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
