// One connection to the indexer's stream (proxied at /stream), shared by everything on the page: `change`
// events for what the indexer committed, and `block` events for every block it indexed.
import type { Change, IndexedBlock } from '$lib/indexer';

type ChangeListener = (change: Change) => void;
type BlockListener = (block: number) => void;

let changeListeners: ChangeListener[] = [];
let blockListeners: BlockListener[] = [];
let openListeners: (() => void)[] = [];
let source: EventSource | undefined;

/** `indexedBlock`: the highest block the stream has reported indexed. */
export const live = $state({ connected: false, indexedBlock: 0 });

function noteBlock(block: number) {
  if (!Number.isSafeInteger(block)) return;
  live.indexedBlock = Math.max(live.indexedBlock, block);
  for (const listener of blockListeners) listener(block);
}

function open() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/stream');
  source.addEventListener('open', () => {
    live.connected = true;
    for (const listener of openListeners) listener();
  });
  source.addEventListener('error', () => (live.connected = false));
  source.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as Change;
    for (const listener of changeListeners) listener(change);
    noteBlock(change.block);
  });
  source.addEventListener('block', (event) => {
    const block = JSON.parse((event as MessageEvent<string>).data) as IndexedBlock;
    noteBlock(block.number);
  });
}

/** Calls `listener` for every change the indexer commits; returns a function that stops it. */
export function onChange(listener: ChangeListener): () => void {
  open();
  changeListeners = [...changeListeners, listener];
  return () => {
    changeListeners = changeListeners.filter((l) => l !== listener);
  };
}

/** Calls `listener` with each block the indexer reports indexed; returns a function that stops it. */
export function onBlock(listener: BlockListener): () => void {
  open();
  blockListeners = [...blockListeners, listener];
  return () => {
    blockListeners = blockListeners.filter((l) => l !== listener);
  };
}

/** Calls `listener` each time the stream (re)connects: events sent while it was down are lost. */
export function onOpen(listener: () => void): () => void {
  open();
  openListeners = [...openListeners, listener];
  if (live.connected) listener();
  return () => {
    openListeners = openListeners.filter((l) => l !== listener);
  };
}

/** Resolves once the indexer reports block `block` or later indexed, or false after `timeoutMs`. */
export function indexedAt(block: number, timeoutMs = 30_000): Promise<boolean> {
  if (live.indexedBlock >= block) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(false);
    }, timeoutMs);
    const stop = onBlock((indexed) => {
      if (indexed >= block) {
        clearTimeout(timer);
        stop();
        resolve(true);
      }
    });
  });
}
