import { json } from '@sveltejs/kit';

import { forward } from '../../forward';
import type { RequestHandler } from './$types';

/** A ballot's status as the relayer reports it: queued, sent, mined, indexed or failed. */
export const GET: RequestHandler = async ({ params }) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(params.id)) {
    return json(
      {
        error: 'bad_request',
        parameter: 'id',
        message: 'A ballot id is 0x and 64 hex digits (the keccak256 of its signature).',
      },
      { status: 400 },
    );
  }
  return forward(`/ballots/${params.id.toLowerCase()}`);
};
