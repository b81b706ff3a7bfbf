import { existsSync } from 'node:fs';
import { basename } from 'node:path';

import { userPath } from '@charter/contracts';
import { formatMetric, formatWad } from '@charter/contracts/protocol';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';

import { EvaluatorError, ExitCode } from './errors.js';
import { modelDigest, modelManifest } from './models/modelDigest.js';
import { addOnChainCommands } from './onchain/commands.js';
import { readReport } from './reports/readReport.js';
import type { Report } from './reports/types.js';
import { verifyReport, type VerifyResult } from './reports/verifyReport.js';
import { writeReport } from './reports/writeReport.js';
import { evaluateModel } from './run/evaluateModel.js';
import { createHttpRunner } from './runners/createHttpRunner.js';
import { createTransformersRunner } from './runners/createTransformersRunner.js';
import type { Device, Runner } from './runners/types.js';
import { listSuites } from './suites/listSuites.js';
import { loadSuite } from './suites/loadSuite.js';
import { isHex32, type Hex32 } from './util/sha256.js';

// Paths people type are relative to where they typed the command, also under `npm run -w evaluator`
// (which runs in evaluator/): every path argument goes through `userPath`.

const program = new Command('charter-eval')
  .description(
    'Run benchmark suites against model artifacts and produce reproducible evidence reports.',
  )
  .option('--json', 'print machine-readable JSON on stdout')
  .option('--no-progress', 'do not draw progress bars on stderr')
  .showHelpAfterError()
  .exitOverride();

program
  .command('suites')
  .description('list the bundled suites with their ids')
  .argument('[dir]', 'a directory of suite files instead of the bundled ones')
  .action(async (dir?: string) => {
    const suites = await listSuites(dir && userPath(dir));
    const rows = suites.map(({ suite, id, datasetDigest }) => ({
      id,
      name: suite.name,
      version: suite.version,
      task: suite.task,
      metrics: suite.metrics,
      datasetDigest,
      description: suite.description,
    }));
    if (json()) return print(rows);
    for (const r of rows)
      console.log(`${r.id}  ${r.name}@${r.version}  ${r.task}  [${r.metrics.join(', ')}]`);
  });

program
  .command('digest')
  .description("print a model directory's digest (sha256 of its sorted file manifest)")
  .argument('<dir>', 'model directory')
  .option('--manifest', 'also list every file with its size and sha256')
  .action(async (dir: string, opts: { manifest?: boolean }) => {
    const digest = await modelDigest(userPath(dir));
    const manifest = opts.manifest ? await modelManifest(userPath(dir)) : undefined;
    if (json()) return print({ digest, ...(manifest ? { manifest } : {}) });
    console.log(digest);
    for (const e of manifest ?? [])
      console.log(`  ${e.sha256}  ${String(e.size).padStart(10)}  ${e.path}`);
  });

program
  .command('run')
  .description('run suites against a model and write one report per suite')
  .argument('<suites...>', 'suite files or bundled suite names')
  .option('-m, --model <dir>', 'model directory (transformers.js layout)')
  .addOption(
    new Option('--device <device>', 'where to run the model')
      .choices(['auto', 'cpu', 'cuda', 'webgpu'])
      .default('auto'),
  )
  .addOption(
    new Option('--dtype <dtype>', 'model weights variant')
      .choices(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'])
      .default('fp32'),
  )
  .option(
    '-b, --batch-size <n>',
    'samples per model call (scores do not depend on it)',
    positiveInt,
    32,
  )
  .option('--threads <n>', 'ONNX Runtime intra-op threads', positiveInt)
  .option(
    '-o, --out <path>',
    'report file (one suite) or directory (default: reports/<model>/<suite>.json)',
  )
  .option(
    '--server <url>',
    'OpenAI-compatible server to run generation suites against (instead of --model)',
  )
  .option('--served-model <name>', 'model name the server serves')
  .option(
    '--model-digest <hex>',
    'digest of the artifact the server serves (its on-chain model id)',
  )
  .addOption(
    new Option('--endpoint <kind>', 'server endpoint')
      .choices(['chat', 'completions'])
      .default('chat'),
  )
  .option('--concurrency <n>', 'requests in flight', positiveInt, 4)
  .option('--timeout <ms>', 'per request', positiveInt, 60_000)
  .option('--retries <n>', 'retries of a failed request', nonNegativeInt, 3)
  .option('--api-key <key>', 'bearer token for the server (default: $OPENAI_API_KEY)')
  .action(async (suiteRefs: string[], opts: RunOptions) => {
    const suites = await Promise.all(suiteRefs.map((ref) => loadSuite(suiteRef(ref))));
    const target = opts.server ? openServer(opts) : await openModel(opts);
    const results = [];
    try {
      for (const suite of suites) {
        const progress = bar(suite.suite.name);
        const report = await evaluateModel({
          suite,
          runner: target.runner,
          modelDigest: target.digest,
          modelPath: target.path,
          batchSize: opts.server ? opts.concurrency * 4 : opts.batchSize,
          onProgress: progress.update,
        });
        progress.stop();
        const out =
          opts.out?.endsWith('.json') && suites.length === 1
            ? userPath(opts.out)
            : userPath(`${opts.out ?? 'reports'}/${target.name}/${suite.suite.name}.json`);
        await writeReport(report, out);
        results.push({ path: out, ...summary(report) });
        if (!json()) printReport(report, out);
      }
    } finally {
      await target.runner.dispose();
    }
    if (json()) print(results);
  });

program
  .command('verify')
  .description('re-run a report, replaying its recorded settings, and say whether it reproduces')
  .argument('<report>', 'report file')
  .option('-m, --model <dir>', 'model directory (default: the path recorded in the report)')
  .option('-s, --suite <ref>', 'suite file or name (default: the one recorded in the report)')
  .addOption(
    new Option('--device <device>', "override the report's device").choices([
      'auto',
      'cpu',
      'cuda',
      'webgpu',
    ]),
  )
  .option('-b, --batch-size <n>', 'samples per model call', positiveInt)
  .action(
    async (
      path: string,
      opts: { model?: string; suite?: string; device?: Device; batchSize?: number },
    ) => {
      const report = await readReport(userPath(path));
      const progress = bar(`verify ${report.suite.name}`);
      const result = await verifyReport(report, {
        modelDir: opts.model && userPath(opts.model),
        suite: opts.suite && suiteRef(opts.suite),
        device: opts.device,
        batchSize: opts.batchSize,
        log,
        onProgress: progress.update,
      });
      progress.stop();
      if (json()) {
        const { verdict, reproduces, expected, actual, runner, notReplayed, metrics, samples } =
          result;
        print({ verdict, reproduces, expected, actual, runner, notReplayed, metrics, samples });
      } else {
        printVerify(result, report);
      }
      process.exitCode = result.reproduces ? ExitCode.Ok : ExitCode.Failure;
    },
  );

addOnChainCommands(program, { json, print });

interface RunOptions {
  model?: string;
  device: Device;
  dtype: 'fp32';
  batchSize: number;
  threads?: number;
  out?: string;
  server?: string;
  servedModel?: string;
  modelDigest?: string;
  endpoint: 'chat' | 'completions';
  concurrency: number;
  timeout: number;
  retries: number;
  apiKey?: string;
}

type Progress = { update: (done: number, total: number) => void; stop: () => void };

interface Target {
  runner: Runner;
  digest: Hex32;
  path?: string;
  /** Names the default report directory. */
  name: string;
}

async function openModel(opts: RunOptions): Promise<Target> {
  if (!opts.model)
    throw new InvalidArgumentError('run needs --model <dir> (or --server for a served model)');
  const path = userPath(opts.model);
  const digest = await modelDigest(path);
  const runner = await createTransformersRunner(path, {
    device: opts.device,
    dtype: opts.dtype,
    threads: opts.threads,
    log,
  });
  return { runner, digest, path, name: basename(path) };
}

function openServer(opts: RunOptions): Target {
  if (!opts.servedModel) throw new InvalidArgumentError('--server needs --served-model <name>');
  if (!isHex32(opts.modelDigest))
    throw new InvalidArgumentError(
      '--server needs --model-digest <0x sha256> naming the artifact the server serves',
    );
  const runner = createHttpRunner({
    baseUrl: opts.server!,
    model: opts.servedModel,
    endpoint: opts.endpoint,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeout,
    retries: opts.retries,
    apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY,
  });
  return { runner, digest: opts.modelDigest, name: opts.servedModel.replace(/[^\w.-]+/g, '_') };
}

/** A suite file the person named (relative to them), or a bundled suite's name. */
function suiteRef(ref: string): string {
  return existsSync(userPath(ref)) ? userPath(ref) : ref;
}

function summary(report: Report) {
  return {
    digest: report.digest,
    suiteId: report.suite.id,
    suite: report.suite.name,
    modelDigest: report.model.digest,
    samplesRoot: report.samplesRoot,
    runner: report.runner,
    metrics: report.metrics.map((m) => ({ ...m, display: formatMetric(m.value) })),
    samples: report.samples.length,
    samplesPerSecond: report.timings.samplesPerSecond,
  };
}

function printReport(report: Report, path: string): void {
  console.log(
    `${report.suite.name}@${report.suite.version}  model ${report.model.digest.slice(0, 18)}…  ${report.runner.name}/${report.host.settings.device}/${report.runner.dtype}`,
  );
  for (const m of report.metrics) console.log(`  ${m.id.padEnd(22)} ${formatMetric(m.value)}`);
  console.log(`  ${report.samples.length} samples, ${report.timings.samplesPerSecond} samples/s`);
  console.log(`  report ${report.digest} -> ${path}`);
}

/** verify's verdict, what it could not replay, and the samples that differ, classified. */
function printVerify(result: VerifyResult, report: Report): void {
  const n = `${report.samples.length} samples, ${report.suite.name}`;
  if (result.verdict === 'exact') console.log(`reproduces: ${result.actual} (${n})`);
  else if (result.verdict === 'within-precision')
    console.log(
      `reproduces within the suite's precision (${report.suite.scoreDecimals} decimals): ${result.samples.length} samples one rounding step apart (${n})`,
    );
  else console.log(`does NOT reproduce: report ${result.expected}, re-run ${result.actual}`);
  for (const r of result.notReplayed)
    console.log(`  not replayed: ${r.setting} ${r.recorded} (here: ${r.here})`);
  if (result.runner.length) console.log(`  runner differs in: ${result.runner.join(', ')}`);
  for (const m of result.metrics) console.log(`  metric ${m.id}: ${m.expected} -> ${m.actual}`);
  if (result.samples.length === 0) return;
  console.log(
    `  ${result.samples.length} samples differ${result.samples.length > 20 ? ' (first 20)' : ''}:`,
  );
  for (const d of result.samples.slice(0, 20)) {
    const kind = d.withinPrecision
      ? d.predictionDiffers
        ? 'prediction differs at the decision boundary, within the declared precision'
        : 'within the declared precision'
      : d.predictionDiffers
        ? 'REAL MISMATCH (prediction)'
        : 'REAL MISMATCH (score)';
    console.log(`    ${d.id}: ${describe(d.expected)} -> ${describe(d.actual)}  [${kind}]`);
  }
}

function describe(row?: { label: number; prediction: number; score: string }): string {
  return row
    ? `label ${row.label} prediction ${row.prediction} score ${formatWad(BigInt(row.score), 6)}`
    : 'missing';
}

function bar(label: string): Progress {
  if (json() || !program.opts().progress || !process.stderr.isTTY)
    return { update: () => {}, stop: () => {} };
  const b = new SingleBar({
    stream: process.stderr,
    format: `${label.padEnd(16)} {bar} {value}/{total} samples  {eta_formatted} left`,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (done, total) => {
      if (!started) b.start(total, done);
      else b.update(done);
      started = true;
    },
    stop: () => started && b.stop(),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function json(): boolean {
  return Boolean(program.opts().json);
}

function print(value: unknown): void {
  console.log(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
  if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) {
    // commander has already printed its message
  } else if (json()) {
    const e = error as EvaluatorError;
    print({ error: { name: e.name, message: e.message, details: e.details ?? {} } });
  } else {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    const cause = (error as Error).cause as Error | undefined;
    if (cause?.message) process.stderr.write(`  cause: ${cause.message.split('\n')[0]}\n`);
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof EvaluatorError) return error.exitCode;
  if (error instanceof InvalidArgumentError) return ExitCode.BadInput;
  if (error instanceof CommanderError)
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput;
  return ExitCode.Failure;
}
