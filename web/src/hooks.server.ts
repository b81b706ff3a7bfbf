import { dev } from '$app/environment';
import type { Handle } from '@sveltejs/kit';

import { pages, turns, upstream } from '$lib/server/caches';
import { cachedRender } from '$lib/server/pageCache';

// The CSP comes from svelte.config.js (kit.csp, with nonces for SvelteKit's own scripts); these complete it.
const headers: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

// On adapter-node's graceful shutdown (it handles SIGINT and SIGTERM), end the browsers' streams at once
// (it waits for open connections) and the subscription to the indexer's (which would keep the process up).
// Not under `vite dev`, where a listener of ours would stand in for Node's own exit on Ctrl-C.
if (!dev) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => upstream.stop());
  process.on('sveltekit:shutdown', () => upstream.stop());
}

// A request starts on its turn (src/lib/server/turns.ts: a busy server keeps accepting connections).
// Pages are served from the shared cache per (URL, indexed block) while the indexer's stream says nothing
// changed (src/lib/server/pageCache.ts); the stream's one subscription starts with the first request.
export const handle: Handle = async ({ event, resolve }) => {
  // A request made while rendering another (`event.fetch` to this server) is part of that one's turn.
  const turn = event.isSubRequest ? undefined : turns.take();
  if (turn) {
    await turn;
    // A reader who gave up while waiting (a closed connection) gets nothing: spend the turn on the others.
    if (event.platform?.req.socket.writable === false) return new Response(null, { status: 503 });
  }
  upstream.start();
  return cachedRender(pages, event, async () => {
    const response = await resolve(event);
    for (const [name, value] of Object.entries(headers)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    return response;
  });
};
