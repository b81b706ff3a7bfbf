import { error } from '@sveltejs/kit';

import { createIndexerClient, IndexerError } from '$lib/indexer';
import { createCachedIndexerFetch } from './cachedIndexerFetch';
import { answers } from './caches';
import { config } from './config';

/** The indexer, read through the shared cache of its answers (per URL and indexed block). */
export const indexer = createIndexerClient(config.indexerUrl, {
  fetch: createCachedIndexerFetch(config.indexerUrl, answers),
});

/** Awaits an indexer call, turning its failures into the page errors a reader should see. */
export async function read<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (cause) {
    if (cause instanceof IndexerError) {
      if (cause.status === 404) error(404, cause.message);
      if (cause.status === 400) error(400, cause.message);
      error(503, `The indexer could not answer: ${cause.message}`);
    }
    if (cause instanceof TypeError) error(503, 'The indexer is not reachable.');
    throw cause;
  }
}
