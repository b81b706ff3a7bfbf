/**
 * `npm run bench -w relayer`: the relayer on anvil with Charter deployed and its queue in PGlite on disk,
 * as `npm start` runs it (polling chosen from the chain, as the indexer does, unless `--poll-interval`).
 *
 *   npm run bench -w relayer [-- --connections 1,16 --ballots 100 --rounds 3 --seconds 3]
 *   npm run bench -w relayer -- --confirm-ballots 40 --pace-ms 250 --block-time 1 --json out.json
 *
 * Acceptance: `POST /ballots` under autocannon (a child process), each request a distinct vote signed by
 * a voter of its own with voting power, so that every gate runs in full (signature, nonce, rate limit,
 * simulation, voting power, budget) and every answer should be 202; `--ballots` per run, at each of
 * `--connections`. The baseline, on the same server and connections: `GET /status` (one RPC call and one
 * query), and `GET /health` (no I/O: the HTTP floor), `--seconds` each. `--rounds` rounds of one run per
 * row, interleaved; after each POST run the queue is left to drain, so each run starts on an idle relayer
 * (during a POST run the queue sends the ballots it accepted, as it would).
 *
 * Confirmation: `--confirm-ballots` ballots posted one in each `--pace-ms` (at a point spread over it, not
 * waiting for each other), each timed from its 202 to its block (the bench watches the chain every 20 ms),
 * to the relayer's `mined` (its `ballot_mined` log) and to `indexed` (`ballot_indexed`, with an indexer in
 * this process). Once with anvil mining on demand, once with a block every `--block-time` seconds (0 skips
 * it).
 */
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { charterGovernorAbi, pollingIntervalFor } from '@charter/contracts';
import { createLogger, startIndexer } from '@charter/indexer';
import { startTestChain, type TestChain } from '@charter/indexer/testing';

import type { Relayer } from '../src/startRelayer';
import { activeProposal, signVote } from '../src/testing/testChain';
import { get, post, relayTestChain, testDataDir } from '../src/testing/testRelayer';
import { fundVoters } from './fundVoters';
import type { LoadJob, LoadResult } from './loadWorker';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1,16' },
    ballots: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    'confirm-ballots': { type: 'string', default: '40' },
    'pace-ms': { type: 'string', default: '250' },
    'block-time': { type: 'string', default: '1' },
    'poll-interval': { type: 'string' },
    json: { type: 'string' },
  },
});
const connectionLevels = values.connections.split(',').map(Number);
const ballotsPerRun = Number(values.ballots);
const rounds = Number(values.rounds);
const getSeconds = Number(values.seconds);
const confirmBallots = Number(values['confirm-ballots']);
const paceMs = Number(values['pace-ms']);
const blockTime = Number(values['block-time']);
const pollingInterval =
  values['poll-interval'] === undefined ? undefined : Number(values['poll-interval']);
const warmUpBallots = 20;
const args = process.argv.slice(2);
const command = ['npm run bench -w relayer', ...(args.length ? ['--', ...args] : [])].join(' ');

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const median = (values: number[]) => percentile(values, 50);
/** The i-th of a sequence spread evenly over [0, 1) (golden ratio): phases without a random seed. */
const spread = (i: number) => (i * 0.6180339887) % 1;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

type Route = 'GET /health' | 'GET /status' | 'POST /ballots';
interface AcceptanceRow {
  route: Route;
  connections: number;
  runs: LoadResult[];
}
interface ConfirmationRow {
  mining: string;
  relayerPollMs: number;
  indexerPollMs: number | undefined;
  ballots: number;
  accepted: number;
  /** Per ballot, ms from its 202: to the block that holds it (as the bench saw it), to the relayer's
   * `mined`, to its `indexed`. */
  inBlock: number[];
  mined: number[];
  indexed: number[];
}

/** The autocannon child: one load at a time. */
function startLoadWorker() {
  const child = fork(join(import.meta.dirname, 'loadWorker.ts'), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    run: (job: LoadJob) =>
      new Promise<LoadResult>((resolve, reject) => {
        const exited = (code: number | null) => reject(new Error(`load worker exited (${code})`));
        child.once('exit', exited);
        child.once('message', (message: { result?: LoadResult; error?: string }) => {
          child.off('exit', exited);
          if (message.error) reject(new Error(message.error));
          else resolve(message.result!);
        });
        child.send(job);
      }),
    stop: () => child.kill(),
  };
}

/** Waits until the relayer's queue holds nothing queued or sent. */
async function drained(relayer: Relayer): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { body } = await get<{ queued: number }>(relayer, '/status');
    if (body.queued === 0) return;
    if (Date.now() > deadline) throw new Error(`the queue still holds ${body.queued} ballots`);
    await sleep(100);
  }
}

/** The relayer's polling interval during acceptance: `--poll-interval`, or what it chose. */
let acceptancePollMs: number | undefined;

async function acceptance(test: TestChain, bodies: string[]): Promise<AcceptanceRow[]> {
  const take = (count: number) => bodies.splice(0, count);
  const data = testDataDir();
  const relayer = await relayTestChain(test, data.dataDir, { pollingInterval });
  acceptancePollMs = relayer.pollingInterval;
  const worker = startLoadWorker();
  const rows: AcceptanceRow[] = connectionLevels.flatMap((connections) =>
    (['GET /health', 'GET /status', 'POST /ballots'] as const).map((route) => ({
      route,
      connections,
      runs: [],
    })),
  );
  const job = (row: AcceptanceRow): LoadJob =>
    row.route === 'POST /ballots'
      ? {
          url: `${relayer.url}/ballots`,
          method: 'POST',
          connections: row.connections,
          bodies: take(ballotsPerRun),
        }
      : {
          url: `${relayer.url}/${row.route.slice('GET /'.length)}`,
          method: 'GET',
          connections: row.connections,
          seconds: getSeconds,
        };
  try {
    await worker.run({
      url: `${relayer.url}/ballots`,
      method: 'POST',
      connections: 1,
      bodies: take(warmUpBallots),
    });
    await drained(relayer);
    await worker.run({ url: `${relayer.url}/status`, method: 'GET', connections: 1, seconds: 1 });
    log('warmed up');
    for (let round = 1; round <= rounds; round++) {
      for (const row of rows) {
        const result = await worker.run(job(row));
        row.runs.push(result);
        log(
          `${row.route}, ${row.connections} connections, round ${round}: ` +
            `${Math.round(result.requestsPerSecond)} req/s, p50 ${ms(percentile(result.latencies, 50))}, ` +
            `p99 ${ms(percentile(result.latencies, 99))}, answers ${JSON.stringify(result.statusCodes)}` +
            ` (load average ${loadavg()[0]!.toFixed(1)})`,
        );
        if (row.route === 'POST /ballots') await drained(relayer);
      }
    }
  } finally {
    worker.stop();
    await relayer.stop();
    data.drop();
  }
  return rows;
}

async function confirmation(
  test: TestChain,
  bodies: string[],
  blockSeconds: number | undefined,
): Promise<ConfirmationRow> {
  if (blockSeconds) await test.rpc('evm_setIntervalMining', [blockSeconds]);
  const mining = blockSeconds ? `a block every ${blockSeconds} s` : 'on demand';
  // On demand the indexer picks its interval itself; on a block time, what it picks once it has seen 20
  // blocks of it (this chain's earlier blocks were mined on demand).
  let indexerPollMs = blockSeconds ? pollingIntervalFor(blockSeconds) : undefined;
  const indexer = await startIndexer({
    rpcUrl: test.anvil.rpcUrl,
    deployment: test.deployment,
    dataDir: 'memory://',
    port: 0,
    pollingInterval: indexerPollMs,
    logger: createLogger('info', (line) => {
      if (line.includes('"event":"polling"')) indexerPollMs = JSON.parse(line).intervalMs;
    }),
  });
  await indexer.ready();
  const lines: string[] = [];
  const data = testDataDir();
  // Likewise the relayer, unless `--poll-interval`.
  const relayer = await relayTestChain(test, data.dataDir, {
    indexerUrl: indexer.url,
    pollingInterval:
      pollingInterval ?? (blockSeconds ? pollingIntervalFor(blockSeconds) : undefined),
    lines,
  });

  const seen = new Map<number, number>();
  let watching = true;
  let head = Number(await test.chain.public.getBlockNumber({ cacheTime: 0 }));
  const watcher = (async () => {
    while (watching) {
      const number = Number(await test.chain.public.getBlockNumber({ cacheTime: 0 }));
      for (; head < number; head++) seen.set(head + 1, Date.now());
      await sleep(20);
    }
  })();

  try {
    log(`${mining}: posting ${bodies.length} ballots, one in each ${paceMs} ms`);
    const accepted = new Map<string, number>();
    await Promise.all(
      bodies.map(async (body, i) => {
        // Evenly spread within each interval, so that ballots meet the relayer's and the indexer's
        // polling at every phase, not one.
        await sleep((i + spread(i)) * paceMs);
        const answer = await post(relayer, JSON.parse(body));
        if (answer.status === 202) accepted.set(String(answer.body.id), Date.now());
        else log(`${mining}: ballot ${i} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }),
    );
    const mined = new Map<string, { at: number; block: number }>();
    const indexed = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    let read = 0;
    while (indexed.size < accepted.size && Date.now() < deadline) {
      for (; read < lines.length; read++) {
        const entry = JSON.parse(lines[read]!) as {
          time: string;
          event: string;
          id?: string;
          block?: number;
        };
        if (entry.event === 'ballot_mined')
          mined.set(entry.id!, { at: Date.parse(entry.time), block: entry.block! });
        if (entry.event === 'ballot_indexed') indexed.set(entry.id!, Date.parse(entry.time));
      }
      await sleep(50);
    }
    if (indexed.size < accepted.size) {
      log(`${mining}: only ${indexed.size} of ${accepted.size} ballots indexed within 60 s`);
    }
    const row: ConfirmationRow = {
      mining,
      relayerPollMs: relayer.pollingInterval,
      indexerPollMs,
      ballots: bodies.length,
      accepted: accepted.size,
      inBlock: [],
      mined: [],
      indexed: [],
    };
    for (const [id, at] of accepted) {
      const receipt = mined.get(id);
      const blockSeen = receipt && seen.get(receipt.block);
      if (blockSeen !== undefined) row.inBlock.push(blockSeen - at);
      if (receipt) row.mined.push(receipt.at - at);
      if (indexed.has(id)) row.indexed.push(indexed.get(id)! - at);
    }
    log(
      `${mining}: accepted → in a block p50 ${ms(median(row.inBlock))}, → mined ${ms(median(row.mined))}, ` +
        `→ indexed ${ms(median(row.indexed))}`,
    );
    return row;
  } finally {
    watching = false;
    await watcher;
    await relayer.stop();
    data.drop();
    await indexer.stop();
    if (blockSeconds) await test.rpc('evm_setAutomine', [true]);
  }
}

function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg(),
  };
}

const miningModes: (number | undefined)[] = [undefined, ...(blockTime > 0 ? [blockTime] : [])];
const voterCount =
  warmUpBallots +
  rounds * connectionLevels.length * ballotsPerRun +
  miningModes.length * confirmBallots;

log('starting anvil and deploying Charter');
const test = await startTestChain();
let acceptanceRows: AcceptanceRow[];
const confirmationRows: ConfirmationRow[] = [];
try {
  log(`funding ${voterCount} voters`);
  const keys = await fundVoters(test, voterCount);
  const proposalId = await activeProposal(test);
  log(`signing ${voterCount} votes on proposal ${proposalId}`);
  const bodies: string[] = [];
  for (const [i, key] of keys.entries()) {
    const support = (i % 3) as 0 | 1 | 2;
    bodies.push(JSON.stringify(await signVote(test, key, { proposalId, support, nonce: 0n })));
  }
  log('signed');
  const confirmBodies = bodies.splice(bodies.length - miningModes.length * confirmBallots);
  acceptanceRows = await acceptance(test, bodies);
  const counted = await test.chain.public.getContractEvents({
    address: test.deployment.contracts.governor,
    abi: charterGovernorAbi,
    eventName: 'VoteCast',
    fromBlock: 0n,
  });
  const acceptedCount = acceptanceRows
    .flatMap((row) => row.runs)
    .reduce((sum, run) => sum + (run.statusCodes['202'] ?? 0), warmUpBallots);
  log(`acceptance: ${counted.length} votes counted on chain of ${acceptedCount} ballots accepted`);
  for (const blockSeconds of miningModes) {
    confirmationRows.push(
      await confirmation(test, confirmBodies.splice(0, confirmBallots), blockSeconds),
    );
  }
} finally {
  await test.stop();
}

const status = (connections: number) =>
  acceptanceRows.find((r) => r.route === 'GET /status' && r.connections === connections)!;
const pooled = (row: AcceptanceRow) => row.runs.flatMap((run) => run.latencies);
const rate = (row: AcceptanceRow) => median(row.runs.map((run) => run.requestsPerSecond));
const answers = (row: AcceptanceRow) => {
  const counts: Record<string, number> = {};
  for (const run of row.runs) {
    for (const [code, count] of Object.entries(run.statusCodes))
      counts[code] = (counts[code] ?? 0) + count;
    if (run.errors || run.timeouts)
      counts.errors = (counts.errors ?? 0) + run.errors + run.timeouts;
  }
  return Object.entries(counts)
    .map(([code, count]) => `${code} × ${count.toLocaleString('en')}`)
    .join(', ');
};
const ratio = (row: AcceptanceRow) => {
  if (row.route === 'GET /status') return 'baseline';
  const base = status(row.connections);
  const times = (value: number) => `${value.toPrecision(2)}×`;
  return `${times(rate(row) / rate(base))} the req/s, ${times(median(pooled(row)) / median(pooled(base)))} the p50`;
};
const both = (values: number[]) =>
  values.length ? `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}` : '—';
const { cores, cpu, memoryGiB, node, loadAverage } = machine();
const lines = [
  `Command: \`${command}\``,
  `Machine: ${cores} × ${cpu}, ${memoryGiB} GiB, Node ${node}; load average ${loadAverage
    .map((load) => load.toFixed(1))
    .join(' / ')} (1 / 5 / 15 min) at the end of the run.`,
  '',
  `Acceptance: anvil (mining on demand), queue in PGlite on disk, relayer polling every ${acceptancePollMs} ms; ` +
    `autocannon in a child process; POST runs of ${ballotsPerRun} distinct signed votes, GET runs of ${getSeconds} s; ` +
    `${rounds} rounds, interleaved; req/s the median run (each run), latencies over all runs.`,
  '',
  '| Route | Connections | Requests | req/s | p50 | p95 | p99 | Against `GET /status` | Answers |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...acceptanceRows.map((row) => {
    const latencies = pooled(row);
    return (
      `| \`${row.route}\` | ${row.connections} | ${latencies.length.toLocaleString('en')} | ` +
      `${Math.round(rate(row)).toLocaleString('en')} (${row.runs.map((run) => Math.round(run.requestsPerSecond)).join(', ')}) | ` +
      `${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} | ` +
      `${ratio(row)} | ${answers(row)} |`
    );
  }),
  '',
  `Confirmation: ${confirmBallots} ballots posted one in each ${paceMs} ms; from each 202 to the block that holds ` +
    "it (seen by the bench, polling every 20 ms), to `mined` and to `indexed` (the relayer's logs); p50 / p95.",
  '',
  '| Mining | Relayer / indexer polling | Accepted | → in a block | → `mined` | → `indexed` |',
  '| --- | --- | --- | --- | --- | --- |',
  ...confirmationRows.map(
    (row) =>
      `| ${row.mining} | ${row.relayerPollMs} ms / ${row.indexerPollMs ?? '?'} ms | ${row.accepted} of ${row.ballots} | ` +
      `${both(row.inBlock)} | ${both(row.mined)} | ${both(row.indexed)} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) {
  await writeFile(
    values.json,
    JSON.stringify(
      {
        command,
        machine: machine(),
        acceptance: acceptanceRows.map((row) => ({
          route: row.route,
          connections: row.connections,
          runs: row.runs.map(({ latencies, ...run }) => ({
            ...run,
            p50: percentile(latencies, 50),
            p95: percentile(latencies, 95),
            p99: percentile(latencies, 99),
          })),
        })),
        confirmation: confirmationRows,
      },
      null,
      2,
    ),
  );
}
