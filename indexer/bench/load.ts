// `npm run bench:load -w indexer`: the API and the live stream under a crowd, on PGlite and on PostgreSQL.
// Builds the chain of bench/bench.ts, then for each database: `GET /proposals/:id` of the busiest
// proposal at 32 connections with autocannon (a separate process on the same machine), plain and
// revalidated with its ETag; the same bytes from a bare Hono server in this process (the ceiling); and
// 2,000 stream clients (another process) timed from a vote's block to each client's `block` event, with
// this process's memory before and after they connect. Prints Markdown for BENCHMARKS.md.
import { fork, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { serve } from '@hono/node-server';
import { Hono } from 'hono';

import { startIndexer } from '../src/startIndexer';
import type { DatabaseKind } from '../src/testing/testDatabase';
import { buildChain, voteAndMine, type BenchChain } from './buildChain';
import { freshDatabase } from './freshDatabase';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const streamClientCount = Number(process.env.BENCH_STREAM_CLIENTS ?? 2000);
const streamVotes = 10;

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (values: number[]) => percentile(values, 50);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and answers with another status than expected. */
  failures: number;
  /**
   * CPU time this process (the server) spent per request during the run: what a request costs, less
   * moved by the other work on the machine than the request rate is.
   */
  cpuMicroseconds: number;
}

const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

/** One autocannon run in its own process: `connections` connections for `seconds`, after a warm-up. */
function autocannon(url: string, expectedStatus: 200 | 304, headers: string[] = []) {
  const args = [autocannonPath, '-c', String(connections), '-d', String(seconds), '-j'];
  for (const header of headers) args.push('-H', header);
  args.push('--warmup', '[', '-c', String(connections), '-d', '2', ']', url);
  const cpuBefore = process.cpuUsage();
  return new Promise<Load>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        // With a warm-up, autocannon prints the warm-up's figures before the run's: the last line is the run.
        const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
          requests: { average: number; total: number };
          warmup?: { requests: { total: number } };
          latency: { p50: number; p99: number };
          errors: number;
          timeouts: number;
          non2xx: number;
          '3xx': number;
        };
        const wrongStatus = expectedStatus === 200 ? result.non2xx : result.non2xx - result['3xx'];
        const cpu = process.cpuUsage(cpuBefore);
        resolve({
          cpuMicroseconds:
            (cpu.user + cpu.system) /
            (result.requests.total + (result.warmup?.requests.total ?? 0)),
          requestsPerSecond: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          failures: result.errors + result.timeouts + wrongStatus,
        });
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/**
 * `runs` rounds over the targets, one run of each per round, so that each target meets the same moments
 * of the machine's load and their ratio is fair.
 */
async function rounds(
  targets: Record<string, () => Promise<Load>>,
): Promise<Record<string, Load[]>> {
  const loads: Record<string, Load[]> = Object.fromEntries(
    Object.keys(targets).map((label) => [label, []]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [label, run] of Object.entries(targets)) {
      const load = await run();
      log(
        `${label} #${i + 1}: ${Math.round(load.requestsPerSecond)} req/s, p50 ${load.p50} ms, ` +
          `p99 ${load.p99} ms, ${load.failures} failures, ${Math.round(load.cpuMicroseconds)} µs ` +
          `of server CPU per request (load average ${loadavg()[0]!.toFixed(1)})`,
      );
      loads[label]!.push(load);
    }
  }
  return loads;
}

/** The ceiling: the same bytes, from a bare Hono app on the same Node server, in this process. */
async function startStaticServer(body: Uint8Array<ArrayBuffer>) {
  const app = new Hono();
  app.get('/static', (c) => {
    c.header('Content-Type', 'application/json');
    return c.body(body);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening),
    );
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/static`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

interface Stream {
  clients: number;
  connectSeconds: number;
  latencies: number[];
  /** The first vote after the clients connected (not in `latencies`): the server's first fan-out. */
  firstLatencies: number[];
  memoryBefore: NodeJS.MemoryUsage;
  memoryAfter: NodeJS.MemoryUsage;
}

const settledMemory = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(100);
  }
  return process.memoryUsage();
};

/**
 * 2,000 stream clients in another process; each vote is timed from the moment the node serves its block
 * as the latest to the moment each client has that block's event. The first vote after the clients
 * connected is reported apart from the next `streamVotes`.
 */
async function measureStream(bench: BenchChain, url: string, kind: DatabaseKind) {
  const memoryBefore = await settledMemory();
  const child = fork(
    join(import.meta.dirname, 'streamClients.ts'),
    [url, String(streamClientCount)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  type Message = { connected?: number; block?: number; times?: number[]; error?: string };
  const waiting = new Map<number, (times: number[]) => void>();
  let connected!: () => void;
  const allConnected = new Promise<void>((resolve) => (connected = resolve));
  child.on('message', (message: Message) => {
    if (message.error) log(`stream client: ${message.error}`);
    if (message.connected) connected();
    if (message.block !== undefined) waiting.get(message.block)?.(message.times!);
  });
  const connectStart = now();
  await allConnected;
  const connectSeconds = (now() - connectStart) / 1000;
  await sleep(500);
  const memoryAfter = await settledMemory();
  log(
    `${kind}: ${streamClientCount} stream clients connected in ${connectSeconds.toFixed(1)} s; ` +
      `RSS ${mib(memoryBefore.rss)} → ${mib(memoryAfter.rss)}`,
  );

  const latencies: number[] = [];
  const firstLatencies: number[] = [];
  const voters = [...bench.unvoted.entries()].filter(([, proposals]) => proposals.length > 0);
  for (let i = 0; i <= streamVotes; i++) {
    const [voter, proposals] = voters[(i * 53 + (kind === 'pglite' ? 5 : 17)) % voters.length]!;
    const proposal = proposals.shift()!;
    let block = 0;
    let reached!: Promise<number[]>;
    await voteAndMine(bench, voter, proposal, (next) => {
      block = next;
      reached = new Promise((resolve) => waiting.set(next, resolve));
    });
    const mined = now();
    const times = await Promise.race([
      reached,
      sleep(20_000).then(() => {
        throw new Error(`block ${block} did not reach every stream client in 20 s`);
      }),
    ]);
    (i === 0 ? firstLatencies : latencies).push(...times.map((time) => time - mined));
    log(
      `${kind}: vote ${i}${i === 0 ? ' (first after connecting, reported apart)' : ''}: block ${block} reached ${times.length} clients, ` +
        `last after ${(Math.max(...times) - mined).toFixed(0)} ms`,
    );
    await sleep(300);
  }
  child.kill();
  return {
    clients: streamClientCount,
    connectSeconds,
    latencies,
    firstLatencies,
    memoryBefore,
    memoryAfter,
  };
}

interface Figures {
  api: Load[];
  revalidated: Load[];
  ceiling: Load[];
  bodyBytes: number;
  stream: Stream;
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
  await indexer.ready();
  log(`${kind}: indexed`);

  const url = `${indexer.url}/proposals/${bench.proposals[0]}`;
  const first = await fetch(url);
  const body = new Uint8Array(await first.arrayBuffer());
  const etag = first.headers.get('etag')!;
  const staticServer = await startStaticServer(body);
  const loads = await rounds({
    [`${kind}: GET /proposals/:id`]: () => autocannon(url, 200),
    [`${kind}: GET /proposals/:id, If-None-Match`]: () =>
      autocannon(url, 304, [`If-None-Match=${etag}`]),
    [`${kind}: static (${body.byteLength} bytes)`]: () => autocannon(staticServer.url, 200),
  });
  const [api, revalidated, ceiling] = Object.values(loads) as [Load[], Load[], Load[]];
  await staticServer.stop();

  const stream = await measureStream(bench, indexer.url, kind);
  await indexer.stop();
  await drop();
  return { api, revalidated, ceiling, bodyBytes: body.byteLength, stream };
}

log('building the chain');
const bench = await buildChain(log);
const head = await bench.chain.public.getBlockNumber();
log(`chain built: ${head} blocks`);
const results: Partial<Record<DatabaseKind, Figures>> = {};
try {
  for (const kind of (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(
    ',',
  ) as DatabaseKind[])
    results[kind] = await measure(bench, kind);
} finally {
  await bench.anvil.stop();
}

const kinds = Object.keys(results) as DatabaseKind[];
const names: Record<DatabaseKind, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };
const spread = (loads: Load[], pick: (load: Load) => number, unit = '') =>
  `${Math.round(median(loads.map(pick))).toLocaleString('en')}${unit} (${loads
    .map((load) => Math.round(pick(load)).toLocaleString('en'))
    .join(', ')})`;
const row = (label: string, goal: string, value: (f: Figures) => string) =>
  `| ${label} | ${goal} | ${kinds.map((kind) => value(results[kind]!)).join(' | ')} |`;
const ratio = (f: Figures) =>
  `${Math.round((100 * median(f.api.map((l) => l.requestsPerSecond))) / median(f.ceiling.map((l) => l.requestsPerSecond)))}%`;
const perClient = (f: Figures) =>
  (f.stream.memoryAfter.rss - f.stream.memoryBefore.rss) / f.stream.clients / 1024;
const lines = [
  `${runs} rounds of one run per row (${seconds} s after 2 s of warm-up, ${connections} connections), interleaved; median (each run).`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min) at the end of the run.`,
  '',
  `| Measure | Goal | ${kinds.map((kind) => names[kind]).join(' | ')} |`,
  `| --- | --- | ${kinds.map(() => '---').join(' | ')} |`,
  row('`GET /proposals/:id`, req/s', '≥ 3,000', (f) => spread(f.api, (l) => l.requestsPerSecond)),
  row('… p99', '≤ 50 ms', (f) => spread(f.api, (l) => l.p99, ' ms')),
  row('… failures (errors, timeouts, not 200)', '0', (f) =>
    String(f.api.reduce((sum, l) => sum + l.failures, 0)),
  ),
  row('… with `If-None-Match` (304), req/s', '—', (f) =>
    spread(f.revalidated, (l) => l.requestsPerSecond),
  ),
  row('Static answer, same bytes, bare Hono (ceiling), req/s', '—', (f) =>
    spread(f.ceiling, (l) => l.requestsPerSecond),
  ),
  row('API ÷ ceiling (medians)', '—', ratio),
  row('Server CPU per request, API / 304 / static', '—', (f) =>
    [f.api, f.revalidated, f.ceiling]
      .map((loads) => `${Math.round(median(loads.map((l) => l.cpuMicroseconds)))} µs`)
      .join(' / '),
  ),
  row(
    `Stream: ${streamClientCount} clients, block mined → event at every client, p50`,
    '—',
    (f) => `${percentile(f.stream.latencies, 50).toFixed(0)} ms`,
  ),
  row('… p99', '≤ 1 s', (f) => `${percentile(f.stream.latencies, 99).toFixed(0)} ms`),
  row('… max', '—', (f) => `${Math.max(...f.stream.latencies).toFixed(0)} ms`),
  row('… the first vote after the clients connected: p99 / max', '—', (f) =>
    [percentile(f.stream.firstLatencies, 99), Math.max(...f.stream.firstLatencies)]
      .map((value) => `${value.toFixed(0)} ms`)
      .join(' / '),
  ),
  row(
    'Server RSS, before → with the clients',
    '—',
    (f) => `${mib(f.stream.memoryBefore.rss)} → ${mib(f.stream.memoryAfter.rss)}`,
  ),
  row(
    '… per client (RSS; heap)',
    '—',
    (f) =>
      `${perClient(f).toFixed(1)} KiB; ${((f.stream.memoryAfter.heapUsed - f.stream.memoryBefore.heapUsed) / f.stream.clients / 1024).toFixed(1)} KiB`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
