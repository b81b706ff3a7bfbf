import { config } from '$lib/server/config';
import type { RequestHandler } from './$types';

/** The indexer's change stream, relayed so the browser stays on this origin (and under its CSP). */
export const GET: RequestHandler = async ({ request }) => {
  let upstream: Response;
  try {
    upstream = await fetch(`${config.indexerUrl}/stream`, {
      headers: { accept: 'text/event-stream' },
      signal: request.signal,
    });
  } catch {
    return new Response('indexer unreachable', { status: 503 });
  }
  if (!upstream.ok || !upstream.body) {
    return new Response('indexer stream unavailable', { status: 502 });
  }
  return new Response(upstream.body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
};
