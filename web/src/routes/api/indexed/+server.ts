import { json } from '@sveltejs/kit';

import { indexer, read } from '$lib/server/indexer';
import type { RequestHandler } from './$types';

export interface IndexedNow {
  indexedBlock: number;
  indexedTimestamp: number;
}

/** How far the indexer has got: lets the browser wait for a block it just mined (advance time) to be indexed. */
export const GET: RequestHandler = async () => {
  const { indexedBlock, indexedTimestamp } = await read(indexer.governance());
  return json({ indexedBlock, indexedTimestamp } satisfies IndexedNow, {
    headers: { 'cache-control': 'no-store' },
  });
};
