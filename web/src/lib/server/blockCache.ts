// Between two indexed blocks nothing the indexer answers can change, so an answer (or a page rendered from
// answers) read at block B serves every reader until the indexer's stream announces a later block, and
// no longer. This is the one place that rule lives; the indexer's responses (cachedIndexerFetch.ts) and
// the rendered pages (pageCache.ts) are two BlockCaches driven by the same stream (upstream.ts).

/** What the stream told us, in the order it told us. */
export type StreamSignal =
  | { kind: 'block'; number: number; hash: string }
  | { kind: 'change'; block: number }
  /** The stream (re)connected or dropped: what it announced meanwhile is unknown. */
  | { kind: 'reset' };

interface Entry<V> {
  value: V;
  /** The indexed block the value was read at (the oldest, if it was read from several answers). */
  block: number;
  bytes: number;
}

/** A fill in progress: joined by readers that arrive while it runs, unless the block moved meanwhile. */
interface Fill {
  promise: Promise<unknown>;
  generation: number;
  floor: number;
}

/** Taken when a fill starts; `put` refuses the fill if a reorg or a newer block came in meanwhile. */
export interface FillTicket {
  readonly generation: number;
  readonly floor: number;
}

export class BlockCache<V> {
  private entries = new Map<string, Entry<V>>();
  private fills = new Map<string, Fill>();
  private bytes = 0;
  /** Bumped when what was cached may describe blocks that are no longer on the chain (a reorg, a lost stream). */
  private generation = 0;
  /** No entry read below this block is served: the highest block the stream announced (or a change named). */
  private floor = 0;
  /** The last `block` event, to tell a reorg (a lower or replaced block) from progress. */
  private last: { number: number; hash: string } | undefined;
  /** False until the stream is connected: without it nothing would say when an entry went stale. */
  private live = false;

  constructor(
    /** The memory the values may take, in bytes (as the caller counts them); 0 turns the cache off. */
    private readonly maxBytes: number,
  ) {}

  get enabled(): boolean {
    return this.live && this.maxBytes > 0;
  }

  /** The block below which nothing is served any more. */
  get announcedBlock(): number {
    return this.floor;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Applies what the stream said. Call it before telling browsers, so a reader they send sees the new state. */
  signal(signal: StreamSignal): void {
    if (signal.kind === 'reset') {
      this.clear(0);
      this.last = undefined;
      return;
    }
    if (signal.kind === 'change') {
      // A change at or below the last announced block is a reorg rolling entities back, or off-chain data (a
      // delegate's statement) stored at the indexed block; before any block is announced, either may be.
      if (!this.last || signal.block <= this.last.number) this.clear(signal.block);
      else this.advance(signal.block);
      return;
    }
    const { number, hash } = signal;
    const replaced =
      this.last &&
      (number < this.last.number || (number === this.last.number && hash !== this.last.hash));
    this.last = { number, hash };
    if (replaced) this.clear(number);
    else this.advance(number);
  }

  /** The stream is connected (true) or lost (false); either way everything cached is forgotten. */
  setLive(live: boolean): void {
    this.live = live;
    this.signal({ kind: 'reset' });
  }

  /** The value cached under `key`, if it is still current. */
  get(key: string): V | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.block < this.floor) {
      this.delete(key, entry);
      return undefined;
    }
    // Least recently used goes first: move a hit to the end of the insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  ticket(): FillTicket {
    return { generation: this.generation, floor: this.floor };
  }

  /**
   * Stores a value read at `block` by a fill that started at `ticket`. Refused (false) when the cache is
   * off, when a reorg or a lost stream came in meanwhile, or when the value is older than what the stream
   * has announced since: such a value may still answer the request that read it, never a later one.
   */
  put(key: string, ticket: FillTicket, block: number, value: V, bytes: number): boolean {
    if (!this.enabled || ticket.generation !== this.generation) return false;
    if (!Number.isSafeInteger(block) || block < this.floor || bytes > this.maxBytes / 4)
      return false;
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    this.entries.set(key, { value, block, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest, entry);
    }
    return true;
  }

  /**
   * One fill per key at a time: a reader that misses while another reader's fill of the same key is under
   * way (and started after the latest announcement) waits for that fill instead of starting its own.
   */
  fill<R>(key: string, run: (ticket: FillTicket) => Promise<R>): Promise<R> {
    const running = this.fills.get(key);
    if (running && running.generation === this.generation && running.floor === this.floor) {
      return running.promise as Promise<R>;
    }
    const ticket = this.ticket();
    const promise = run(ticket).finally(() => {
      if (this.fills.get(key)?.promise === promise) this.fills.delete(key);
    });
    if (this.enabled) this.fills.set(key, { promise, ...ticket });
    return promise;
  }

  /** The stream moved forward to `block`: entries read before it are stale. */
  private advance(block: number): void {
    if (block <= this.floor) return;
    this.floor = block;
    for (const [key, entry] of this.entries) if (entry.block < block) this.delete(key, entry);
  }

  private clear(floor: number): void {
    this.generation++;
    this.floor = floor;
    this.entries.clear();
    this.fills.clear();
    this.bytes = 0;
  }

  private delete(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
