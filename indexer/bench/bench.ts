// `npm run bench -w indexer`: builds a realistic chain on anvil, then measures the indexer on PGlite and
// on PostgreSQL: backfill throughput, live latency (block mined → vote visible through the API), and
// API latency of the busiest proposal. Prints a Markdown table for BENCHMARKS.md.
import { cpus, loadavg, totalmem } from 'node:os';

import type { Address } from 'viem';

import { createIndexerClient } from '../src/client';
import { startIndexer } from '../src/startIndexer';
import type { DatabaseKind } from '../src/testing/testDatabase';
import { buildChain, voteAndMine, type BenchChain } from './buildChain';
import { freshDatabase } from './freshDatabase';

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

interface Figures {
  events: number;
  backfillSeconds: number;
  eventsPerSecond: number;
  live: number[];
  detail: number[];
  votes: number[];
}

async function measure(bench: BenchChain, kind: DatabaseKind): Promise<Figures> {
  const { options, drop } = await freshDatabase(kind);

  const indexer = await startIndexer({
    rpcUrl: bench.anvil.rpcUrl,
    deployment: bench.deployment,
    ...options,
    port: 0,
    logLevel: (process.env.LOG_LEVEL as 'warn') ?? 'warn',
  });
  const backfillStart = performance.now();
  await indexer.ready();
  const backfillSeconds = (performance.now() - backfillStart) / 1000;
  const events = indexer.status.eventsProcessed;
  log(`${kind}: backfilled ${events} events in ${backfillSeconds.toFixed(2)} s`);

  const client = createIndexerClient(indexer.url);
  const busiest = bench.proposals[0]!.toString();
  const timed = async (fn: () => Promise<unknown>, count: number) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    return samples.slice(Math.floor(count / 10)); // the first tenth warms up
  };
  // Each request a URL of its own (the API ignores the extra parameter), so that each one misses the
  // per-block answer cache and times the read itself; bench/load.ts measures the cached answers.
  let sample = 0;
  const read = async (path: string) => {
    const response = await fetch(`${indexer.url}${path}sample=${sample++}`);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  };
  const detail = await timed(() => read(`/proposals/${busiest}?`), 220);
  const votes = await timed(() => read(`/proposals/${busiest}/votes?limit=50&`), 220);

  // Live: a delegate votes. The block counts as mined once the node serves it as its latest block
  // (anvil returns from eth_sendTransaction before it has finished the block on a chain this size); the
  // vote counts as visible once the stream announced it and the API lists it.
  const live: number[] = [];
  let announced: ((proposal: string) => void) | undefined;
  const unsubscribe = client.subscribe((change) => {
    if (change.kind === 'vote') announced?.(change.id);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const voters = [...bench.unvoted.entries()].filter(([, proposals]) => proposals.length > 0);
  for (let i = 0; i < 60; i++) {
    const [voter, proposals] = voters[(i * 37 + (kind === 'pglite' ? 0 : 11)) % voters.length]!;
    const proposal = proposals.shift()!;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
    const seen = new Promise<void>((resolve) => {
      announced = (id) => id === proposal.toString() && resolve();
    });
    await voteAndMine(bench, voter, proposal);
    const mined = performance.now();
    await seen;
    const page = await client.proposals.votes(proposal.toString(), { limit: 1 });
    if (page.items[0]?.voter !== (voter as Address).toLowerCase())
      throw new Error('vote not visible');
    if (i >= 10) live.push(performance.now() - mined);
  }
  unsubscribe();
  await indexer.stop();
  await drop();
  return {
    events,
    backfillSeconds,
    eventsPerSecond: events / backfillSeconds,
    live,
    detail,
    votes,
  };
}

log('building the chain');
const bench = await buildChain(log);
const head = await bench.chain.public.getBlockNumber();
log(`chain built: ${head} blocks`);
const results: Record<string, Figures> = {};
try {
  for (const kind of (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(
    ',',
  ) as DatabaseKind[])
    results[kind] = await measure(bench, kind);
} finally {
  await bench.anvil.stop();
}

const loadAverage = loadavg();
// A database left out (BENCH_DATABASES) shows a dash.
const cell = (figures: Figures | undefined, value: (f: Figures) => string) =>
  figures ? value(figures) : '—';
const row = (label: string, goal: string, value: (f: Figures) => string) =>
  `| ${label} | ${goal} | ${cell(results.pglite, value)} | ${cell(results.postgres, value)} |`;
const lines = [
  `Chain: ${head} blocks, ${Object.values(results)[0]!.events} events (20,100 votes from 500 delegates on 50 proposals, 60 results, 20 models).`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
    `load average ${loadAverage.map((load) => load.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end of the run.`,
  '',
  '| Measure | Goal | PGlite | PostgreSQL |',
  '| --- | --- | --- | --- |',
  row(
    'Backfill, events per second',
    '≥ 5,000 (PostgreSQL)',
    (f) =>
      `${Math.round(f.eventsPerSecond).toLocaleString('en')} (${f.backfillSeconds.toFixed(2)} s)`,
  ),
  row('Live latency, mined → visible, p50', '—', (f) => ms(percentile(f.live, 50))),
  row('Live latency, mined → visible, p95', '≤ 500 ms', (f) => ms(percentile(f.live, 95))),
  row('Proposal detail (busiest), p50', '—', (f) => ms(percentile(f.detail, 50))),
  row('Proposal detail (busiest), p95', '≤ 50 ms', (f) => ms(percentile(f.detail, 95))),
  row('Vote list (busiest, 50 votes), p50', '—', (f) => ms(percentile(f.votes, 50))),
  row('Vote list (busiest, 50 votes), p95', '—', (f) => ms(percentile(f.votes, 95))),
];
process.stdout.write(`${lines.join('\n')}\n`);
