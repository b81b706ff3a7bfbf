// This server's shared state: the two caches, the one subscription to the indexer's stream that keeps
// them current and feeds every browser's `/stream`, and the turns requests start in.
import { BlockCache } from './blockCache';
import type { CachedAnswer } from './cachedIndexerFetch';
import { config } from './config';
import type { CachedPage } from './pageCache';
import { Turns } from './turns';
import { Upstream } from './upstream';

const budget = config.cacheMegabytes * 1024 * 1024;

/** The indexer's answers, by path and query. */
export const answers = new BlockCache<CachedAnswer>(budget);
/** Rendered pages and their `__data.json`, by URL. */
export const pages = new BlockCache<CachedPage>(budget);

export const upstream = new Upstream({
  indexerUrl: config.indexerUrl,
  onLive(live) {
    answers.setLive(live);
    pages.setLive(live);
  },
  onSignal(signal) {
    answers.signal(signal);
    pages.signal(signal);
  },
});

/** Every request waits for its turn here before anything else (hooks.server.ts). */
export const turns = new Turns(config.requestsPerTurn);
