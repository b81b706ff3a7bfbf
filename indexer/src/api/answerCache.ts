import { createHash } from 'node:crypto';

import type { ReadAt } from './readAtIndexedBlock';
import type { Subscribe } from './stream';

/** An answer as it goes out: its JSON, once serialized, and the block it was read at. */
export interface Answer {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  indexedBlock: number;
  indexedTimestamp: number;
}

interface Entry extends Answer {
  indexedHash: string;
  /** The announcement count when its read began: entries of an earlier one are never served. */
  epoch: number;
  size: number;
}

/** Where the sync stands: moved after each commit, before that commit is announced. */
export interface IndexedStatus {
  indexedBlock: number;
  indexedHash: string;
  indexedTimestamp: number;
}

export interface AnswerCacheOptions {
  chainId: number;
  status: IndexedStatus;
  /** The sync's announcements: every `block` event empties the cache. */
  subscribe: Subscribe;
  /** Bound on the cached bodies and keys, in bytes; least recently used entries go first. */
  maxBytes: number;
}

const encoder = new TextEncoder();

/** What an entry costs beyond its body and key: the object, the map slot, the ETag. */
const entryOverhead = 300;

/**
 * The validator of `url`'s answer at a block: the same URL at the same block of the same chain always
 * reads the same rows, so the block names the content. The hash tells apart the blocks a reorg put at
 * the same height. Weak, as two answers need only be equivalent, not byte-for-byte equal.
 */
export function answerEtag(
  chainId: number,
  url: string,
  block: number,
  hash: string,
  revision = '',
): string {
  const path = createHash('sha256').update(url).digest('base64url').slice(0, 16);
  return `W/"${chainId}-${block}-${hash}-${revision ? `${revision}-` : ''}${path}"`;
}

/**
 * `If-None-Match` against an ETag, compared weakly as RFC 9110 asks for GET and HEAD. `*` matches any
 * answer that exists, so only when `exists` says the answer was read and found.
 */
export function etagMatches(
  ifNoneMatch: string | undefined,
  etag: string,
  exists: boolean,
): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch
    .split(',')
    .some((tag) => (tag.trim() === '*' ? exists : opaque(tag) === wanted));
}

/**
 * Query results per (URL, indexed block), in memory. An entry is served only while the sync still
 * stands at the block it was read at, and only within the announcement it was read in: any new block,
 * a reorg's rewind included, empties the cache before the stream tells anyone about it. So a cached
 * answer is never older than a fresh read would be, and its `indexedBlock` stays true. Concurrent misses
 * of one URL share one read.
 *
 * Off-chain data the API itself stores (delegate statements) changes answers without moving the block:
 * `offchainChanged()` empties the cache likewise, and moves the revision that ETags carry beside the
 * block, so a client's copy from before it no longer matches. The revision starts from this process's
 * start time: an ETag from an earlier process never matches (one API process per database, as the sync
 * is one).
 */
export function createAnswerCache({ chainId, status, subscribe, maxBytes }: AnswerCacheOptions) {
  const entries = new Map<string, Entry>();
  const reading = new Map<string, { epoch: number; answer: Promise<Answer> }>();
  let bytes = 0;
  let epoch = 0;
  const startedAt = Date.now().toString(36);
  let offchainChanges = 0;
  let revision = `${startedAt}.0`;

  const empty = () => {
    epoch++;
    entries.clear();
    reading.clear();
    bytes = 0;
  };
  subscribe((event) => {
    if ('block' in event) empty();
  });

  const isCurrent = (entry: Entry) =>
    entry.epoch === epoch &&
    entry.indexedBlock === status.indexedBlock &&
    entry.indexedHash === status.indexedHash;

  const forget = (url: string, entry: Entry) => {
    entries.delete(url);
    bytes -= entry.size;
  };

  const keep = (url: string, entry: Entry) => {
    if (entry.size > maxBytes / 4) return; // one huge answer must not flush everything else
    const previous = entries.get(url);
    if (previous) forget(url, previous);
    entries.set(url, entry);
    bytes += entry.size;
    for (const [oldest, old] of entries) {
      if (bytes <= maxBytes) break;
      forget(oldest, old);
    }
  };

  return {
    /** The ETag `url`'s answer has now, without reading it; undefined before the first block. */
    currentEtag(
      url: string,
    ): { etag: string; indexedBlock: number; indexedTimestamp: number } | undefined {
      if (!status.indexedHash) return undefined;
      const { indexedBlock, indexedHash, indexedTimestamp } = status;
      return {
        etag: answerEtag(chainId, url, indexedBlock, indexedHash, revision),
        indexedBlock,
        indexedTimestamp,
      };
    },

    /**
     * The answer for `url`: cached when the sync has not moved since it was read, else read by `read`
     * (whose failures, a 404 say, are passed on and not cached).
     */
    answer(url: string, read: () => Promise<{ at: ReadAt; json: string }>): Promise<Answer> {
      const hit = entries.get(url);
      if (hit) {
        forget(url, hit);
        if (isCurrent(hit)) {
          entries.set(url, hit); // now the most recently used
          bytes += hit.size;
          return Promise.resolve(hit);
        }
      }
      const pending = reading.get(url);
      if (pending?.epoch === epoch) return pending.answer;

      const startedIn = epoch;
      const readRevision = revision;
      const answer = read().then(({ at, json }) => {
        const body = encoder.encode(json);
        const entry: Entry = {
          body,
          etag: answerEtag(chainId, url, at.indexedBlock, at.indexedHash, readRevision),
          indexedBlock: at.indexedBlock,
          indexedTimestamp: at.indexedTimestamp,
          indexedHash: at.indexedHash,
          epoch: startedIn,
          size: body.byteLength + url.length * 2 + entryOverhead,
        };
        // A read that overlapped an announcement may hold the block before it: served, never kept.
        if (isCurrent(entry)) keep(url, entry);
        return entry;
      });
      reading.set(url, { epoch, answer });
      const done = () => {
        if (reading.get(url)?.answer === answer) reading.delete(url);
      };
      answer.then(done, done);
      return answer;
    },

    /**
     * Off-chain data changed (a statement was stored, after its transaction committed): answers read
     * before are neither served nor validated again.
     */
    offchainChanged(): void {
      revision = `${startedAt}.${++offchainChanges}`;
      empty();
    },

    /** Entries and bytes held now (for the benchmark and the tests). */
    get size() {
      return { entries: entries.size, bytes };
    },
  };
}

export type AnswerCache = ReturnType<typeof createAnswerCache>;
