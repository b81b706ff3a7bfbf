// The browser reaches the relayer through this server, so that the relayer need not be public or allow other
// origins: only the two requests the vote form and the delegate buttons make are passed on (a signed ballot,
// and a ballot's status); every other path under /api/relayer is not found.
import { error } from '@sveltejs/kit';

import { config } from '$lib/server/config';

/** A signed ballot is a few hundred bytes; a reason is at most a few thousand characters. */
export const MAX_BALLOT_BYTES = 32 * 1024;

/** How long the relayer has to answer before the browser is told it is unreachable. */
const TIMEOUT_MS = 15_000;

/** Passes one request to the relayer and its answer (status, JSON body, Retry-After) back unchanged. */
export async function forward(path: string, init: RequestInit = {}): Promise<Response> {
  if (!config.relayerUrl) error(404, 'No relayer is configured: vote and delegate with gas.');
  let response: Response;
  try {
    response = await fetch(`${config.relayerUrl}${path}`, {
      ...init,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    return Response.json(
      {
        error: 'relayer_unreachable',
        message: `The relayer did not answer (${(cause as Error).message}); try again, or vote with gas.`,
      },
      { status: 502 },
    );
  }
  const headers = new Headers({
    'content-type': response.headers.get('content-type') ?? 'application/json',
    'cache-control': 'no-store',
  });
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  return new Response(await response.arrayBuffer(), { status: response.status, headers });
}
