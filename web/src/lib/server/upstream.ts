// One subscription from this server to the indexer's stream, whatever the number of open pages: each event
// first invalidates the caches (so a reader the event sends here gets the new state), then goes out to
// every browser's `/stream` from the same encoded bytes, with one shared heartbeat.
import { readServerSentEvents } from '$lib/indexer';
import type { StreamSignal } from './blockCache';

/** A browser's stream, as the fan-out sees it. */
interface Listener {
  controller: ReadableStreamDefaultController<Uint8Array>;
}

export interface UpstreamOptions {
  /** The indexer's base URL. */
  indexerUrl: string;
  /** Told every block, change and reset, before any browser is. */
  onSignal: (signal: StreamSignal) => void;
  /** Told when the subscription connects (true) or drops (false). */
  onLive: (live: boolean) => void;
  heartbeatMs?: number;
  /** With nothing from the indexer for this long (its heartbeat is 15 s), the connection is presumed dead. */
  silenceMs?: number;
  retryMs?: number;
  /** A browser whose stream has this many unsent events is dropped (it reconnects and catches up). */
  maxQueued?: number;
}

const encoder = new TextEncoder();

export class Upstream {
  private listeners = new Set<Listener>();
  private connected = false;
  private waiting: (() => void)[] = [];
  private started = false;
  private stopped = false;
  private abort: AbortController | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Events received from the indexer since start: reported by the benchmark and the tests. */
  eventsReceived = 0;

  constructor(private readonly options: UpstreamOptions) {}

  get browsers(): number {
    return this.listeners.size;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Starts the subscription once; later calls do nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.heartbeat = setInterval(
      () => this.broadcast(encoder.encode(': heartbeat\n\n')),
      this.options.heartbeatMs ?? 15_000,
    );
    this.heartbeat.unref?.();
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.abort?.abort();
    this.closeBrowsers();
  }

  /**
   * A browser's event stream. It opens once the indexer's stream is connected (so the browser's `open`,
   * on which pages check how far the indexer got, comes after anything it could have missed), and ends
   * when that connection drops: the browser reconnects after `retry` and checks again.
   */
  async browserStream(signal: AbortSignal): Promise<ReadableStream<Uint8Array> | undefined> {
    this.start();
    while (!this.connected) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    let listener: Listener | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        listener = { controller };
        this.listeners.add(listener);
        controller.enqueue(encoder.encode('retry: 1000\n: connected\n\n'));
      },
      cancel: () => {
        if (listener) this.listeners.delete(listener);
      },
    });
  }

  private async run(): Promise<void> {
    const { indexerUrl, retryMs = 1000, silenceMs = 45_000 } = this.options;
    while (!this.stopped) {
      const abort = new AbortController();
      this.abort = abort;
      let silence: ReturnType<typeof setTimeout> | undefined;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => abort.abort(), silenceMs);
      };
      try {
        const response = await fetch(`${indexerUrl}/stream`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        heard();
        this.setConnected(true);
        await readServerSentEvents(
          response.body,
          (event, data) => this.dispatch(event, data),
          heard,
        );
      } catch {
        // Dropped, refused or silent: forget what the caches hold and try again.
      } finally {
        clearTimeout(silence);
        abort.abort();
        this.setConnected(false);
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.options.onLive(connected);
    if (connected) {
      for (const resolve of this.waiting.splice(0)) resolve();
    } else {
      this.closeBrowsers();
    }
  }

  private dispatch(event: string, data: string): void {
    this.eventsReceived++;
    const signal = toSignal(event, data);
    if (signal) this.options.onSignal(signal);
    // Forwarded as the indexer sent it, whatever the event; the caches have seen it first.
    this.broadcast(
      encoder.encode(`event: ${event}\ndata: ${data.replaceAll('\n', '\ndata: ')}\n\n`),
    );
  }

  private broadcast(bytes: Uint8Array): void {
    const maxQueued = this.options.maxQueued ?? 256;
    for (const listener of this.listeners) {
      const { controller } = listener;
      try {
        // Queued chunks beyond the first: what this browser has not taken yet.
        if ((controller.desiredSize ?? 0) < -maxQueued) throw new Error('too slow');
        controller.enqueue(bytes);
      } catch {
        // Erroring (not closing) drops what is queued at once; the browser reconnects and catches up.
        this.listeners.delete(listener);
        try {
          controller.error(new Error('stream client too slow'));
        } catch {
          // already gone
        }
      }
    }
  }

  private closeBrowsers(): void {
    for (const { controller } of this.listeners) {
      try {
        controller.close();
      } catch {
        // already closed by the browser
      }
    }
    this.listeners.clear();
  }
}

/** What an indexer event means for the caches; undefined for an event they can ignore. */
export function toSignal(event: string, data: string): StreamSignal | undefined {
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    if (event === 'block' && Number.isSafeInteger(parsed.number)) {
      return { kind: 'block', number: parsed.number as number, hash: String(parsed.hash ?? '') };
    }
    if (event === 'change' && Number.isSafeInteger(parsed.block)) {
      return { kind: 'change', block: parsed.block as number };
    }
  } catch {
    // Not JSON: an event of a newer indexer this server does not know; unknown state, so start over.
  }
  return event === 'block' || event === 'change' ? { kind: 'reset' } : undefined;
}
