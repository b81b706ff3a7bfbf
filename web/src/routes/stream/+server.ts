import { upstream } from '$lib/server/caches';
import type { RequestHandler } from './$types';

/**
 * The indexer's change stream, on this origin (and under its CSP): every browser is fed from this
 * server's one subscription (src/lib/server/upstream.ts), after the caches have seen each event.
 */
export const GET: RequestHandler = async ({ request }) => {
  const body = await upstream.browserStream(request.signal);
  if (!body) return new Response(null, { status: 204 });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
};
