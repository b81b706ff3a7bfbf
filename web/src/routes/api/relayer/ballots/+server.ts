import { json } from '@sveltejs/kit';

import { forward, MAX_BALLOT_BYTES } from '../forward';
import type { RequestHandler } from './$types';

/** A signed vote or delegation, handed to the relayer (its `POST /ballots`); its answer comes back as it is. */
export const POST: RequestHandler = async ({ request }) => {
  const body = await request.text();
  if (new TextEncoder().encode(body).length > MAX_BALLOT_BYTES) {
    return json(
      {
        error: 'bad_request',
        parameter: 'body',
        message: `A ballot is at most ${MAX_BALLOT_BYTES} bytes.`,
      },
      { status: 413 },
    );
  }
  try {
    JSON.parse(body);
  } catch {
    return json(
      { error: 'bad_request', parameter: 'body', message: 'The ballot is not JSON.' },
      { status: 400 },
    );
  }
  return forward('/ballots', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
};
