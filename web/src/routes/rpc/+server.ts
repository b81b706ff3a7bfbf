import { error, json } from '@sveltejs/kit';

import { config, DEV_CHAIN_ID } from '$lib/server/config';
import type { RequestHandler } from './$types';

/**
 * The dev chain's JSON-RPC, relayed for the dev accounts and the advance-time control. Exists only when the
 * configured chain is anvil's (31337): on a real network the user's wallet is the only way to the chain.
 */
export const POST: RequestHandler = async ({ request }) => {
  if (config.chainId !== DEV_CHAIN_ID) error(404, 'Not found');
  const body = await request.text();
  const upstream = await fetch(config.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  }).catch(() => null);
  if (!upstream)
    return json(
      { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'chain unreachable' } },
      { status: 502 },
    );
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': 'application/json' },
  });
};
