// One connection to the indexer's change stream (proxied at /stream), shared by everything on the page.
import type { Change } from '$lib/indexer';

type Listener = (change: Change) => void;

let listeners: Listener[] = [];
let source: EventSource | undefined;

export const live = $state({ connected: false, lastBlock: 0 });

function open() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/stream');
  source.addEventListener('open', () => (live.connected = true));
  source.addEventListener('error', () => (live.connected = false));
  source.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as Change;
    live.lastBlock = Math.max(live.lastBlock, change.block);
    for (const listener of listeners) listener(change);
  });
}

/** Calls `listener` for every change the indexer commits; returns a function that stops it. */
export function onChange(listener: Listener): () => void {
  open();
  listeners = [...listeners, listener];
  return () => {
    listeners = listeners.filter((l) => l !== listener);
  };
}

/** Resolves once the indexer reports a change from block `block` or later, or after `timeoutMs`. */
export function indexedAt(block: number, timeoutMs = 30_000): Promise<boolean> {
  if (live.lastBlock >= block) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(false);
    }, timeoutMs);
    const stop = onChange((change) => {
      if (change.block >= block) {
        clearTimeout(timer);
        stop();
        resolve(true);
      }
    });
  });
}
