// Node's event loop (libuv 1.45 and later, so Node 20) accepts one new connection per turn. Under load one
// turn runs every request that arrived on every open connection: 256 readers of a cached page make a turn
// of ~70 ms, so a reader whose connection waits behind 30 others in the accept queue waits past 2 s, and
// one that gives up and reconnects queues again. Starting only a few requests per turn keeps turns short,
// so the server keeps accepting connections while it is busy (BENCHMARKS.md, web, 256 connections).

/** Lets at most `perTurn` requests start per turn of the event loop; the others wait, first come first served. */
export class Turns {
  private started = 0;
  private waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    /** Requests started per turn; 0 starts every request at once. */
    private readonly perTurn: number,
  ) {}

  /** Nothing when the request may start now, else a promise that resolves on the turn it may start. */
  take(): Promise<void> | undefined {
    if (this.perTurn === 0) return undefined;
    this.scheduleNextTurn();
    if (this.started < this.perTurn && this.waiting.length === 0) {
      this.started++;
      return undefined;
    }
    return new Promise((start) => this.waiting.push(start));
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * An immediate queued now runs after this turn's I/O; one queued from it runs on the next turn, after
   * that turn's poll for I/O, which is where a waiting connection is accepted.
   */
  private scheduleNextTurn(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const starting = this.waiting.splice(0, this.perTurn);
      this.started = starting.length;
      for (const start of starting) start();
      if (this.started > 0) this.scheduleNextTurn();
    });
  }
}
