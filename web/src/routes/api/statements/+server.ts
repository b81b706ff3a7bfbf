import { json } from '@sveltejs/kit';

import { publishStatement } from '$lib/server/delegates';
import type { RequestHandler } from './$types';

/** The indexer takes at most 64 KiB; a statement of 10,000 characters fits many times over. */
const maxBytes = 64 * 1024;

/**
 * The publish form's post: `{ delegate, statement, interests, issuedAt, signature }`, signed in the
 * browser, forwarded to the indexer. Answers the indexer's status with `{ error, parameter?, message }`
 * (and its `Retry-After`) on refusal, so the form can say what was wrong.
 */
export const POST: RequestHandler = async ({ request }) => {
  const raw = await request.text();
  if (new TextEncoder().encode(raw).byteLength > maxBytes) {
    return json(
      { error: 'payload_too_large', message: `the body is larger than ${maxBytes} bytes` },
      { status: 413 },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return json(
      { error: 'bad_request', parameter: 'body', message: 'must be JSON' },
      { status: 400 },
    );
  }
  const answer = await publishStatement(body);
  const headers =
    'retryAfter' in answer && answer.retryAfter ? { 'retry-after': answer.retryAfter } : undefined;
  return json(answer.body, { status: answer.status, headers });
};
