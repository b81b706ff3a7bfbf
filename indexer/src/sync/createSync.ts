import { and, gte, lt, lte, or, sql } from 'drizzle-orm';

import type { ResolvedConfig } from '../config/resolveConfig';
import type { Database, OpenDatabase } from '../database/openDatabase';
import { rollbackTo } from '../database/rollback';
import { blocks, journal, proposals, syncState } from '../database/schema';
import { Store } from '../database/store';
import { isRetryable, ReorgTooDeepError } from '../errors';
import type { Logger } from '../log';
import { getHeader, getHeaders, type BlockHeader } from './chain';
import { choosePollingInterval } from './choosePollingInterval';
import { changesOf, type Change, type IndexedBlock } from './changes';
import { createLogDecoder, deploymentAddresses, type RawLog } from './decodeLogs';
import { fetchLogs, type LogRange } from './fetchLogs';
import { handleEvent, prefetch } from './handlers';
import { findCommonAncestor } from './findCommonAncestor';
import { initialize } from './initialize';
import { isPastHead } from './isPastHead';
import type { Rpc } from './rpc';

export interface SyncStatus {
  /** Latest block the RPC announced. */
  head: number;
  indexedBlock: number;
  indexedHash: string;
  indexedTimestamp: number;
  /** True once the backfill has caught up with the head, and from then on unless the sync fails. */
  ready: boolean;
  eventsProcessed: number;
  /** Why the sync stopped for good, once an error that retrying cannot fix has stopped it. */
  failure?: { name: string; message: string };
}

export interface Sync {
  readonly status: SyncStatus;
  /** Follows the chain until stopped; rejects on an error that retrying cannot fix. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

/** Blocks fetched header by header in one step of live following. */
const liveBatch = 50;

/**
 * The sync: backfills final blocks with ranged `eth_getLogs`, then follows recent blocks one header at
 * a time, checking each block's parent hash against the one indexed before it. Every step commits its
 * data and the new checkpoint in one transaction, so a killed process resumes exactly where it was.
 */
export function createSync(options: {
  config: ResolvedConfig;
  database: OpenDatabase;
  rpc: Rpc;
  logger: Logger;
  onChanges: (changes: Change[]) => void;
  /** Called after every commit, with the block now indexed, after that commit's changes. */
  onBlock?: (block: IndexedBlock) => void;
}): Sync {
  const { config, database, rpc, logger, onChanges, onBlock } = options;
  const { deployment } = config;
  const store = new Store();
  const decode = createLogDecoder(deployment);
  const addresses = deploymentAddresses(deployment);
  const range: LogRange = { size: config.maxBlockRange, max: config.maxBlockRange };
  const status: SyncStatus = {
    head: 0,
    indexedBlock: 0,
    indexedHash: '',
    indexedTimestamp: 0,
    ready: false,
    eventsProcessed: 0,
  };
  let indexed: BlockHeader;
  let stopped = false;
  let wake: () => void = () => {};
  let running: Promise<void> | undefined;
  const backfill = { startedAt: 0, events: 0, lastLog: 0 };
  let ahead: { from: number; fetched: ReturnType<typeof fetchFinal> } | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  function setIndexed(header: BlockHeader) {
    indexed = header;
    status.indexedBlock = header.number;
    status.indexedHash = header.hash;
    status.indexedTimestamp = header.timestamp;
  }

  /** Runs `work` in a transaction with the store bound to it; the checkpoint moves to `header`. */
  async function commit(header: BlockHeader, work: (tx: Database) => Promise<Change[]>) {
    let changes: Change[] = [];
    try {
      await database.db.transaction(async (tx) => {
        store.use(tx);
        changes = await work(tx);
        changes.push(...(await clockChanges(tx, indexed.timestamp, header)));
        const checkpoint = {
          indexedBlock: header.number,
          indexedHash: header.hash,
          indexedTimestamp: header.timestamp,
        };
        await tx.update(syncState).set(checkpoint);
      });
    } catch (error) {
      store.clear();
      throw error;
    }
    setIndexed(header);
    logger.debug('committed', { block: header.number, changes: changes.length });
    if (changes.length) onChanges(changes);
    onBlock?.({ number: header.number, hash: header.hash, timestamp: header.timestamp });
  }

  /**
   * Proposals whose state the clock moved between two indexed timestamps, with no event of their own:
   * voting opened (the snapshot passed) or closed (the deadline passed).
   */
  async function clockChanges(
    tx: Database,
    before: number,
    header: BlockHeader,
  ): Promise<Change[]> {
    if (header.timestamp <= before) return [];
    const passed = (column: typeof proposals.voteStart) =>
      and(gte(column, before), lt(column, header.timestamp));
    const rows = await tx
      .select({ id: proposals.id })
      .from(proposals)
      .where(or(passed(proposals.voteStart), passed(proposals.voteEnd)));
    return rows.map((row) => ({ kind: 'proposal', id: row.id.toString(), block: header.number }));
  }

  async function applyLogs(logs: RawLog[], timestamps: Map<number, number>) {
    const events = logs.flatMap((log) => {
      if (log.removed) return [];
      const at = log.blockTimestamp
        ? Number(log.blockTimestamp)
        : timestamps.get(Number(log.blockNumber))!;
      return decode(log, at) ?? [];
    });
    await prefetch(store, events);
    for (const event of events) await handleEvent(event, { store, deployment });
    status.eventsProcessed += logs.length;
  }

  /** Logs of final blocks from `from`, with the last block's header and the timestamps they need. */
  async function fetchFinal(from: number, to: number) {
    const fetched = await fetchLogs(rpc, addresses, from, to, range, logger);
    const end = await getHeader(rpc, fetched.to);
    const missing = fetched.logs
      .filter((log) => !log.blockTimestamp)
      .map((log) => Number(log.blockNumber));
    const headers = await getHeaders(rpc, [...new Set(missing)]);
    const timestamps = new Map(headers.map((header) => [header.number, header.timestamp]));
    return { logs: fetched.logs, end, timestamps };
  }

  /** Final blocks: one ranged `eth_getLogs`, no journal. The next range is fetched while this one is
   * written. */
  async function backfillStep(to: number) {
    const from = indexed.number + 1;
    const started = performance.now();
    const next = ahead?.from === from ? ahead.fetched : undefined;
    ahead = undefined;
    const { logs, end, timestamps } = await (next ?? fetchFinal(from, to));
    if (end.number < to) {
      ahead = { from: end.number + 1, fetched: fetchFinal(end.number + 1, to) };
      ahead.fetched.catch(() => {}); // awaited, or dropped, by the next step
    }
    const timings = { fetchMs: performance.now() - started, applyMs: 0, flushMs: 0, commitMs: 0 };
    let mark = performance.now();
    const lap = (name: keyof typeof timings) => {
      timings[name] = Math.round(performance.now() - mark);
      mark = performance.now();
    };
    await commit(end, async (tx) => {
      await applyLogs(logs, timestamps);
      lap('applyMs');
      await store.flush();
      lap('flushMs');
      // The last block of each step anchors the search for a common ancestor after a reorg.
      await tx.insert(blocks).values(end).onConflictDoNothing();
      await prune(tx, end.number);
      return changesOf(store.takeWritten(), end.number);
    });
    lap('commitMs');
    timings.fetchMs = Math.round(timings.fetchMs);
    logger.debug('backfill_step', { from, to: end.number, events: logs.length, ...timings });
    reportProgress(end.number, logs.length);
  }

  /** A `backfill_progress` line at most every second, and one at the end of the final blocks. */
  function reportProgress(block: number, events: number) {
    backfill.events += events;
    const now = Date.now();
    if (now - backfill.lastLog < 1000 && block < status.head - config.finalityDepth) return;
    backfill.lastLog = now;
    const { deploymentBlock } = deployment;
    const done = (block - deploymentBlock + 1) / Math.max(1, status.head - deploymentBlock + 1);
    const seconds = Math.max((now - backfill.startedAt) / 1000, 0.001);
    logger.info('backfill_progress', {
      indexedBlock: block,
      headBlock: status.head,
      percent: Math.round(1000 * done) / 10,
      events: backfill.events,
      eventsPerSecond: Math.round(backfill.events / seconds),
      blockRange: range.size,
    });
  }

  /** Recent blocks: headers first, then their logs checked against those headers, all journaled. */
  async function followStep(to: number, head: BlockHeader): Promise<void> {
    const started = performance.now();
    const numbers = Array.from({ length: to - indexed.number }, (_, i) => indexed.number + 1 + i);
    // Usually the one new block is the head just polled: no need to ask for it again.
    const headers =
      numbers.length === 1 && head.number === to
        ? [head]
        : await unlessPastHead(to, () => getHeaders(rpc, numbers));
    if (!headers) return;
    if (headers[0]!.parentHash !== indexed.hash) return handleReorg();
    for (let i = 1; i < headers.length; i++) {
      if (headers[i]!.parentHash !== headers[i - 1]!.hash) return; // the chain moved: fetch again
    }
    const logs = await unlessPastHead(to, async () => {
      const logs: RawLog[] = [];
      for (let from = numbers[0]!; from <= to;) {
        const fetched = await fetchLogs(rpc, addresses, from, to, range, logger);
        logs.push(...fetched.logs);
        from = fetched.to + 1;
      }
      return logs;
    });
    if (!logs) return;
    const byBlock = new Map<number, RawLog[]>();
    for (const log of logs) {
      const header = headers[Number(log.blockNumber) - numbers[0]!];
      if (!header || header.hash !== log.blockHash) return; // logs of another fork: fetch again
      const list = byBlock.get(header.number) ?? [];
      list.push(log);
      byBlock.set(header.number, list);
    }
    const last = headers[headers.length - 1]!;
    const fetchMs = Math.round(performance.now() - started);
    await commit(last, async (tx) => {
      const changes: Change[] = [];
      for (const header of headers) {
        await tx.execute(sql`select set_config('charter.block', ${String(header.number)}, true)`);
        const timestamps = new Map([[header.number, header.timestamp]]);
        await applyLogs(byBlock.get(header.number) ?? [], timestamps);
        await store.flush();
        changes.push(...changesOf(store.takeWritten(), header.number));
      }
      await tx.execute(sql`select set_config('charter.block', '', true)`);
      await tx.insert(blocks).values(headers).onConflictDoNothing();
      await prune(tx, last.number);
      return changes;
    });
    const commitMs = Math.round(performance.now() - started) - fetchMs;
    logger.debug('follow_step', { from: numbers[0], to, events: logs.length, fetchMs, commitMs });
  }

  /**
   * What `read` returns; undefined when it failed because the chain no longer reaches `to`, so that the
   * step ends and the next one reads the head again (and finds the reorg by parent hash, if any).
   */
  async function unlessPastHead<T>(to: number, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (!(await isPastHead(rpc, error, to))) throw error;
      logger.debug('chain_shortened', { to, error });
      return undefined;
    }
  }

  /** Forgets blocks (and their undo log) that are too old for a reorg to replace; every 16 blocks, as
   * a few more kept rows cost nothing and two fewer statements per block shorten live latency. */
  async function prune(tx: Database, block: number) {
    if (block % 16 !== 0 && status.ready) return;
    const cutoff = block - config.finalityDepth;
    await tx.delete(blocks).where(lt(blocks.number, cutoff));
    await tx.delete(journal).where(lte(journal.blockNumber, cutoff));
  }

  /** Finds the newest block still on the chain, undoes everything after it, and resumes from there. */
  async function handleReorg() {
    const { ancestor, oldestKnown } = await findCommonAncestor(database.db, rpc);
    if (!ancestor) {
      throw new ReorgTooDeepError('the chain replaced blocks older than the reorg window', {
        indexedBlock: indexed.number,
        oldestKnownBlock: oldestKnown,
        finalityDepth: config.finalityDepth,
      });
    }
    const from = indexed.number;
    const common = ancestor;
    let undone: [string, Record<string, unknown>][] = [];
    await commit(common, async (tx) => {
      undone = await rollbackTo(tx, common.number);
      return changesOf(undone, common.number);
    });
    store.clear();
    logger.warn('reorg', {
      fromBlock: from,
      ancestor: common.number,
      depth: from - common.number,
      rowsUndone: undone.length,
    });
  }

  /** One step; false when there was nothing to do. */
  async function step(): Promise<boolean> {
    const head = await getHeader(rpc, 'latest');
    status.head = head.number;
    if (
      head.number < indexed.number ||
      (head.number === indexed.number && head.hash !== indexed.hash)
    ) {
      await handleReorg();
      return true;
    }
    const target = head.number - config.confirmations;
    if (target <= indexed.number) {
      if (!status.ready) {
        status.ready = true;
        logger.info('ready', {
          indexedBlock: indexed.number,
          events: status.eventsProcessed,
          seconds: (Date.now() - backfill.startedAt) / 1000,
        });
      }
      return false;
    }
    const final = head.number - config.finalityDepth;
    if (indexed.number < final) await backfillStep(Math.min(final, target));
    else await followStep(Math.min(target, indexed.number + liveBatch), head);
    return true;
  }

  async function loop() {
    setIndexed(await initialize(config, database, rpc, logger));
    const pollingInterval = config.pollingInterval ?? (await choosePollingInterval(rpc, logger));
    backfill.startedAt = Date.now();
    let failures = 0;
    while (!stopped) {
      try {
        const progressed = await step();
        failures = 0;
        if (!progressed && !stopped) await sleep(pollingInterval);
      } catch (error) {
        store.clear();
        ahead = undefined;
        if (stopped) break;
        if (!isRetryable(error)) throw error;
        failures++;
        const delay = Math.min(30_000, 500 * 2 ** failures);
        logger.warn('sync_paused', { error, delayMs: delay, indexedBlock: indexed.number });
        await sleep(delay);
      }
    }
  }

  return {
    status,
    run() {
      running ??= loop().catch((error: unknown) => {
        if (stopped) return;
        // Said in the log, on `/ready` and through the rejection: a sync that stopped must not look live.
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        status.ready = false;
        status.failure = { name, message };
        logger.error('sync_failed', { error, indexedBlock: status.indexedBlock });
        throw error;
      });
      return running;
    },
    async stop() {
      stopped = true;
      wake();
      await running?.catch(() => {});
    },
  };
}
