import { error, json } from '@sveltejs/kit';

import { address } from '$lib/server/params';
import { voteOf } from '$lib/server/voteOf';
import type { RequestHandler } from './$types';

/** One account's vote on one proposal (`{ vote: null }` when it has not voted), for the vote form. */
export const GET: RequestHandler = async ({ params }) => {
  const voter = address(params.voter);
  if (!/^\d{1,78}$/.test(params.id)) error(404, 'No such proposal');
  if (!voter) error(400, 'The voter must be a 0x address of 40 hex digits.');
  const vote = await voteOf(params.id, voter);
  return json({ vote }, { headers: { 'cache-control': 'no-store' } });
};
