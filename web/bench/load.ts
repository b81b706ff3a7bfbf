// npm run bench -w web, second part: the built web server under load (autocannon, in its own process),
// on the demo DAO (tests/e2e/seed.ts on anvil) indexed by the real indexer on PGlite and on PostgreSQL.
// Targets: the busiest proposal page, `/`, and a static file the same server serves (the ceiling); each
// at 32 and 256 connections, and the proposal page again while a block is mined every second (every block
// invalidates the cache), and at 256 connections on a second server that starts every request at once
// (CHARTER_WEB_REQUESTS_PER_TURN=0, src/lib/server/turns.ts): the same run, before and after. Each row says
// how many connections at most waited to be accepted. Then the server's memory. Load generator, web
// server, indexer and anvil share the machine, as the goals (issue 14) ask.
//   BENCH_DATABASES=pglite,postgres BENCH_LOAD_SECONDS=10 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { createRequire } from 'node:module';

import { anvilPrivateKey, deployCharter, DevChain, startAnvil } from '@charter/contracts';
import { startIndexer } from '@charter/indexer';
import { readServerSentEvents } from '@charter/indexer/client';

import { seed } from '../tests/e2e/seed';
import { startWeb } from './startWeb';

const autocannon = createRequire(import.meta.url).resolve('autocannon');
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const databases = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const streamClients = Number(process.env.BENCH_STREAM_CLIENTS ?? 2000);
const STREAM_BLOCKS = 5;

interface Run {
  target: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** The most connections seen waiting in the server's accept queue during the run. */
  waiting: number;
}

/** The resident memory of a process, in MiB (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
}

/**
 * Connections waiting to be accepted on the listening socket at `port`: the receive queue of a listening
 * socket in /proc/net/tcp (Linux; NaN elsewhere).
 */
function acceptQueue(port: number): number {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const [, address, , state, queues] = line.trim().split(/\s+/);
      if (address?.endsWith(local) && state === '0A') return parseInt(queues!.split(':')[1]!, 16);
    }
  } catch {
    // not Linux
  }
  return NaN;
}

function load(target: string, url: string, connections: number): Promise<Run> {
  const port = Number(new URL(url).port);
  let waiting = 0;
  const sampler = setInterval(() => (waiting = Math.max(waiting, acceptQueue(port))), 50);
  return new Promise<Run>((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [autocannon, '-c', String(connections), '-d', String(seconds), '-t', '2', '-j', url],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code} on ${url}`));
      const result = JSON.parse(out) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        errors: number;
        timeouts: number;
        non2xx: number;
      };
      resolve({
        target,
        connections,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        waiting,
      });
    });
  }).finally(() => clearInterval(sampler));
}

function postgresDatabase(): { url: string; drop: () => void } {
  const name = `charter_web_bench_${randomBytes(4).toString('hex')}`;
  const psql = (sql: string) => {
    const result = spawnSync('psql', [adminUrl, '-q', '-c', sql], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`PostgreSQL at ${adminUrl} (BENCH_DATABASE_URL): ${result.stderr.trim()}`);
    }
  };
  psql(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`drop database if exists ${name} with (force)`) };
}

/**
 * `clients` browsers' streams open on the web server at once; then `blocks` blocks mined one after the
 * other, each timed from `evm_mine` until every client has its `block` event. Returns the latencies in ms.
 */
async function streamFanOut(webUrl: string, clients: number, blocks: number) {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // one signal for every client's fetch
  const waiters = new Map<
    number,
    { left: number; latencies: number[]; minedAt: number; done: () => void }
  >();
  let connected = 0;
  const open = Array.from({ length: clients }, async () => {
    const response = await fetch(`${webUrl}/stream`, { signal: controller.signal });
    let counted = false;
    await readServerSentEvents(
      response.body!,
      (event, data) => {
        if (event !== 'block') return;
        const { number } = JSON.parse(data) as { number: number };
        const waiter = waiters.get(number);
        if (!waiter) return;
        waiter.latencies.push(performance.now() - waiter.minedAt);
        if (--waiter.left === 0) waiter.done();
      },
      () => {
        if (!counted) {
          counted = true;
          connected++;
        }
      },
    );
  }).map((p) => p.catch(() => {}));
  const deadline = Date.now() + 60_000;
  while (connected < clients) {
    if (Date.now() > deadline) throw new Error(`only ${connected} of ${clients} streams opened`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const latencies: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const head = Number(
      ((await (await rpc('eth_blockNumber')).json()) as { result: string }).result,
    );
    const arrived = new Promise<void>((done) => {
      waiters.set(head + 1, { left: clients, latencies, minedAt: performance.now(), done });
    });
    await rpc('evm_mine');
    await Promise.race([arrived, new Promise((ok) => setTimeout(ok, 10_000))]);
    await new Promise((ok) => setTimeout(ok, 300));
  }
  return {
    latencies,
    close: async () => {
      controller.abort();
      await Promise.all(open);
    },
  };
}

const percentileOf = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

console.log('Seeding the demo DAO on anvil…');
const anvil = await startAnvil();
const deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
const seeded = await seed(new DevChain(anvil.rpcUrl, deployment));
const rpc = (method: string) =>
  fetch(anvil.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
  });

const report: string[] = [];
try {
  for (const kind of databases) {
    const postgres = kind === 'postgres' ? postgresDatabase() : undefined;
    const indexer = await startIndexer({
      rpcUrl: anvil.rpcUrl,
      deployment,
      ...(postgres
        ? { databaseUrl: postgres.url, dataDir: 'memory://' }
        : { dataDir: 'memory://' }),
      port: 0,
      logLevel: 'warn',
    });
    await indexer.ready();
    const webOptions = {
      indexerUrl: indexer.url,
      env: { CHARTER_RPC_URL: anvil.rpcUrl },
      // Cached pages are served once the server's subscription to the indexer's stream is up.
      isReady: async (url: string) =>
        Boolean((await fetch(`${url}/`).catch(() => undefined))?.headers.get('x-charter-cache')),
      polls: 400,
      pollMs: 100,
    };
    const web = await startWeb(webOptions);
    try {
      const proposal = `${web.url}/proposals/${seeded.proposals.revoke}`;
      const targets = [
        ['proposal page', proposal],
        ['`/`', `${web.url}/`],
        ['static file (ceiling)', `${web.url}/favicon.svg`],
      ] as const;
      const runs: Run[] = [];
      for (const connections of [32, 256]) {
        for (const [target, url] of targets) {
          runs.push(await load(target, url, connections));
          console.log(JSON.stringify({ kind, ...runs.at(-1) }));
        }
      }
      // A block every second: each one drops what the cache holds, and the next reader renders again.
      const miner = setInterval(() => void rpc('evm_mine'), 1000);
      runs.push({
        ...(await load('proposal page', proposal, 32)),
        target: 'proposal page, a block every second',
      });
      clearInterval(miner);
      console.log(JSON.stringify({ kind, ...runs.at(-1) }));
      // Before: a server that starts every request at once, accepting one connection per (long) turn.
      const allAtOnce = await startWeb({
        ...webOptions,
        env: { ...webOptions.env, CHARTER_WEB_REQUESTS_PER_TURN: '0' },
      });
      try {
        const proposalThere = `${allAtOnce.url}/proposals/${seeded.proposals.revoke}`;
        runs.push({
          ...(await load('proposal page', proposalThere, 256)),
          target:
            'proposal page, every request started at once (`CHARTER_WEB_REQUESTS_PER_TURN=0`)',
        });
        console.log(JSON.stringify({ kind, ...runs.at(-1) }));
      } finally {
        // Gone before the streams' row, which it would otherwise share the cores with.
        const exited = new Promise((done) => allAtOnce.child.once('exit', done));
        allAtOnce.child.kill('SIGTERM');
        await exited;
      }
      const memory = rssMiB(web.child.pid!);
      const fanOut = await streamFanOut(web.url, streamClients, STREAM_BLOCKS);
      const memoryWithStreams = rssMiB(web.child.pid!);
      await fanOut.close();
      const delivered = fanOut.latencies.length;

      const ceiling = (connections: number) =>
        runs.find((r) => r.target.startsWith('static') && r.connections === connections)!
          .requestsPerSecond;
      report.push(
        '',
        `### ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} (web server's resident memory after the runs: ${memory.toFixed(0)} MiB)`,
        '',
        '| target | connections | req/s | p50 | p99 | errors, timeouts, non-2xx | most waiting to be accepted | of the ceiling |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...runs.map(
          (r) =>
            `| ${r.target} | ${r.connections} | ${Math.round(r.requestsPerSecond).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${r.errors}, ${r.timeouts}, ${r.non2xx} | ${r.waiting} | ${((100 * r.requestsPerSecond) / ceiling(r.connections)).toFixed(0)}% |`,
        ),
        '',
        `${streamClients.toLocaleString('en')} browsers' streams open on the web server (one subscription to the indexer): ` +
          `${STREAM_BLOCKS} blocks mined, ${delivered.toLocaleString('en')} of ${(streamClients * STREAM_BLOCKS).toLocaleString('en')} block events delivered; ` +
          `mined → every client: p50 ${percentileOf(fanOut.latencies, 50).toFixed(0)} ms, p99 ${percentileOf(fanOut.latencies, 99).toFixed(0)} ms, ` +
          `max ${Math.max(...fanOut.latencies).toFixed(0)} ms; web server memory ${memory.toFixed(0)} → ${memoryWithStreams.toFixed(0)} MiB with the streams open.`,
      );
    } finally {
      web.child.kill('SIGTERM');
      await indexer.stop();
      postgres?.drop();
    }
  }
} finally {
  await anvil.stop();
}

console.log(
  `\nLoad: autocannon, ${seconds} s per row, on the demo DAO's busiest proposal (goals at 32 connections: ≥ 1,000 req/s, p99 ≤ 100 ms; at 256: ≥ 600 req/s; no errors)`,
);
for (const line of report) console.log(line);
