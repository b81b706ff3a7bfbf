// Keeps a page no older than what the indexer has: its data was served at some indexed block, and whenever
// the indexer reports a later block (or a change), the page's data is loaded again. Time-dependent state
// (a proposal turning active when its voting opens) changes with a block and no event of its own, so
// following blocks, not only changes, is what keeps it right.

export interface FreshnessOptions {
  /** The indexed block the page's data was served at. */
  pageBlock: () => number;
  /** Loads the page's data again (SvelteKit's `invalidateAll`). */
  reload: () => Promise<unknown>;
  /** False while a navigation is under way: reloading the current page would cancel it. */
  canReload?: () => boolean;
  /** Coalesces bursts of events into one reload. */
  delayMs?: number;
  /** How often to try again when a reload still comes back older than the stream's block. */
  retries?: number;
}

export interface Freshness {
  /** The indexer committed a change. */
  changed(): void;
  /** The indexer has indexed `block` (from the stream, or asked on connecting). */
  indexed(block: number): void;
  /** Stops any pending reload. */
  cancel(): void;
}

export function createFreshness(options: FreshnessOptions): Freshness {
  const { pageBlock, reload, canReload = () => true, delayMs = 300, retries = 5 } = options;
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  const schedule = (delay = delayMs) => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delay);
  };

  async function run() {
    timer = undefined;
    if (!canReload()) return;
    await reload();
    // A response can be served from just before the block the stream announced: try again, a little later.
    if (latest > pageBlock() && attempt < retries) {
      attempt++;
      schedule(delayMs * 2 ** attempt);
    } else {
      attempt = 0;
    }
  }

  return {
    changed: () => schedule(),
    indexed(block) {
      latest = Math.max(latest, block);
      if (block > pageBlock()) schedule();
    },
    cancel: () => clearTimeout(timer),
  };
}
