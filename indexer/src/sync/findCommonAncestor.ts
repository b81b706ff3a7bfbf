import { desc } from 'drizzle-orm';
import type { Hex } from 'viem';

import type { Database } from '../database/openDatabase';
import { blocks } from '../database/schema';
import type { BlockHeader } from './chain';
import type { Rpc } from './rpc';

/**
 * The newest block the database knows that is still on the chain: the stored recent blocks, newest first,
 * compared with the chain's blocks at the same heights, twenty to a batch. Undefined when none is left,
 * that is when the chain replaced blocks older than the reorg window.
 */
export async function findCommonAncestor(
  db: Database,
  rpc: Rpc,
): Promise<{ ancestor: BlockHeader | undefined; oldestKnown: number | undefined }> {
  const stored = await db.select().from(blocks).orderBy(desc(blocks.number));
  for (let i = 0; i < stored.length; i += 20) {
    const slice = stored.slice(i, i + 20);
    const canonical = await rpc.batch<{ hash: Hex } | null>(
      slice.map((block) => ({
        method: 'eth_getBlockByNumber',
        params: [`0x${block.number.toString(16)}`, false],
      })),
    );
    const ancestor = slice.find((block, j) => canonical[j]?.hash === block.hash);
    if (ancestor) return { ancestor, oldestKnown: stored.at(-1)?.number };
  }
  return { ancestor: undefined, oldestKnown: stored.at(-1)?.number };
}
