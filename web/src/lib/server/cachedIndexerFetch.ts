// The indexer client's fetch on this server: answers cached per (URL, indexed block), one request upstream
// per URL and block however many renders need it, and every answer's block noted for the render that
// asked (readBlocks.ts), so a page is cached at the block its data was read at.
import type { BlockCache } from './blockCache';
import { noteRead } from './readBlocks';

export interface CachedAnswer {
  status: number;
  body: string;
  headers: [string, string][];
  block: number;
}

/** Headers of an indexer answer worth keeping: its block, its validator, its type. */
const kept = ['content-type', 'x-indexed-block', 'x-indexed-timestamp', 'etag'];

/**
 * Paths whose answer depends on one account: read per request, never shared, so a connected wallet's own
 * state is always read fresh (`/api/proposals/:id/votes/:voter` reads `/accounts/:address`).
 */
const perAccount = /^\/accounts\//;

export function createCachedIndexerFetch(
  indexerUrl: string,
  cache: BlockCache<CachedAnswer>,
  upstream: typeof fetch = fetch,
): typeof fetch {
  const base = indexerUrl.replace(/\/+$/, '');

  async function readAnswer(url: string, init?: RequestInit): Promise<CachedAnswer> {
    let response: Response;
    try {
      response = await upstream(url, init);
    } catch (cause) {
      noteRead(NaN); // unreachable: the page that shows it is nobody else's to see
      throw cause;
    }
    const body = await response.text();
    const headers: [string, string][] = [];
    for (const name of kept) {
      const value = response.headers.get(name);
      if (value !== null) headers.push([name, value]);
    }
    const block = Number(response.headers.get('x-indexed-block') ?? NaN);
    return { status: response.status, body, headers, block };
  }

  const toResponse = (answer: CachedAnswer) =>
    new Response(answer.body, { status: answer.status, headers: answer.headers });

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const path = url.startsWith(base) ? url.slice(base.length) : undefined;
    if (
      method !== 'GET' ||
      path === undefined ||
      path.startsWith('/stream') ||
      perAccount.test(path)
    ) {
      const answer = await readAnswer(url, init);
      noteRead(answer.block);
      return toResponse(answer);
    }
    const hit = cache.get(path);
    if (hit) {
      noteRead(hit.block);
      return toResponse(hit);
    }
    const answer = await cache
      .fill(path, async (ticket) => {
        const fresh = await readAnswer(url, init);
        // Only a whole answer at a known block is shared; errors and answers without a block are not.
        if (fresh.status === 200 && Number.isSafeInteger(fresh.block)) {
          cache.put(path, ticket, fresh.block, fresh, fresh.body.length + 200);
        }
        return fresh;
      })
      .catch((cause: unknown) => {
        noteRead(NaN); // also for the renders that waited on this read: none of them may be shared
        throw cause;
      });
    noteRead(answer.block);
    return toResponse(answer);
  };
}
