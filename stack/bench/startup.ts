/**
 * Start-up benchmark: how long `npm start` takes to be ready, and then how long until the demo
 * proposal's evidence is complete: the 12 results (2 watchers × 2 models × 3 suites) the two
 * honest evaluators post by themselves, as the indexer lists them.
 *
 *   npm run bench:startup -w stack [-- --runs 3 --timeout 600]
 *
 * Each run is `npm start -- --fresh` (deploy, seed, indexer, watchers, web app) on its own temp
 * data directory and free ports, so it does not touch a running demo. Times are wall clock from
 * the moment the command is started; the load average is printed beside them, since on a shared
 * machine it moves every figure.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { privateKeyToAccount } from 'viem/accounts';

import { ROOT } from '../src/config';
import { demoAccounts } from '../src/demoDao';
import { freePorts } from '../src/supervisor';

/** 2 evaluators × (mail-guard v1 + v2) × the 3 suites of the demo policy. */
const EXPECTED_RESULTS = 12;
/** The watchers, whose results make the evidence (evaluator three's inflated results are not counted). */
const WATCHERS = new Set(
  Object.values(demoAccounts.evaluators).map((key) =>
    privateKeyToAccount(key).address.toLowerCase(),
  ),
);

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '600' },
  },
});
const runs = Number(values.runs);
const timeoutMs = Number(values.timeout) * 1000;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
if (!(timeoutMs > 0)) throw new Error(`--timeout must be a positive number of seconds`);

interface Run {
  readySeconds: number;
  printedReadySeconds: number;
  evidenceAfterReadySeconds: number;
  loadAtStart: number;
  loadAtEnd: number;
}

const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const run = await startOnce();
  results.push(run);
  process.stderr.write(`run ${i + 1}: ${JSON.stringify(run)}\n`);
}
const round = (x: number) => x.toFixed(1);
console.log(
  [
    '| run | ready (s, from the command) | "Charter is ready in" (s) | evidence complete after ready (s) | load average (start → end) |',
    '|---:|---:|---:|---:|---|',
    ...results.map(
      (r, i) =>
        `| ${i + 1} | ${round(r.readySeconds)} | ${round(r.printedReadySeconds)} | ${round(r.evidenceAfterReadySeconds)} | ${r.loadAtStart.toFixed(1)} → ${r.loadAtEnd.toFixed(1)} |`,
    ),
  ].join('\n'),
);

async function startOnce(): Promise<Run> {
  const dataDir = await mkdtemp(join(tmpdir(), 'charter-startup-'));
  const [web, indexer, anvil, relayer, notifier] = await freePorts(5);
  const loadAtStart = loadavg()[0]!;
  const started = performance.now();
  // Its own process group, so that stopping it stops anvil, the indexer and the watchers too.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.ts',
      '--fresh',
      '--data-dir',
      dataDir,
      '--port',
      String(web),
      '--indexer-port',
      String(indexer),
      '--anvil-port',
      String(anvil),
      '--relayer-port',
      String(relayer),
      '--notifier-port',
      String(notifier),
    ],
    { cwd: join(ROOT, 'stack'), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Every line the stack printed (the watchers' JSON events carry the timeline), kept for a look.
  const log = join(tmpdir(), `charter-startup-${Date.now()}.log`);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let timer: NodeJS.Timeout | undefined;
    const printedReadySeconds = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const at = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
        output += chunk.toString().replace(/^(?=.)/gm, `${at} `);
        const ready = /Charter is ready in ([\d.]+) s/.exec(output);
        if (ready) resolve(Number(ready[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before ready`)));
      timer = setTimeout(
        () => reject(new Error(`not ready within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    }).finally(() => clearTimeout(timer));
    const ready = performance.now();
    while ((await resultCount(indexer!)) < EXPECTED_RESULTS) {
      if (performance.now() - ready > timeoutMs)
        throw new Error(`evidence not complete within ${timeoutMs / 1000} s of ready`);
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = performance.now();
    return {
      readySeconds: (ready - started) / 1000,
      printedReadySeconds,
      evidenceAfterReadySeconds: (done - ready) / 1000,
      loadAtStart,
      loadAtEnd: loadavg()[0]!,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message} (its output: ${log})`);
  } finally {
    await writeFile(log, output);
    process.stderr.write(`its output: ${log}\n`);
    if (child.exitCode === null) {
      signalGroup(child.pid!, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function resultCount(indexerPort: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${indexerPort}/results?limit=100`);
    if (!response.ok) return 0;
    const { items } = (await response.json()) as { items: { evaluator: string }[] };
    return items.filter((result) => WATCHERS.has(result.evaluator.toLowerCase())).length;
  } catch {
    return 0; // not answering yet
  }
}
