import { error } from '@sveltejs/kit';

import { config } from '$lib/server/config';
import { relayDevRpc } from '$lib/server/devRpc';
import type { RequestHandler } from './$types';

/**
 * The dev chain's JSON-RPC, limited to the methods the dev accounts and the advance-time control use. Exists
 * only in dev mode (CHARTER_DEV_CHAIN=1, set by `npm start` on its own anvil): elsewhere the user's wallet
 * is the only way to the chain.
 */
export const POST: RequestHandler = async ({ request }) => {
  if (!config.devChain) error(404, 'Not found');
  const relayed = await relayDevRpc(await request.text());
  return new Response(relayed.body, {
    status: relayed.status,
    headers: { 'content-type': 'application/json' },
  });
};
