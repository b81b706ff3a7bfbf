/**
 * Throughput of the evaluator against the ceiling of a bare ONNX Runtime session on the same
 * model, per bundled classification suite and batch size; then the GPU/CPU ratio on a
 * throughput-only BERT-base-shaped model (its scores mean nothing).
 *
 *   npm run bench -w evaluator [-- --model models/mail-guard-v2 --batches 1,8,32,64 --json out.json]
 *   npm run bench -w evaluator -- --bert-devices cpu,webgpu     # devices for the BERT-base section
 *   npm run bench -w evaluator -- --suites none                # the BERT-base section alone
 *
 * Throughput: one process per suite times the modes on the same batches, a whole pass each,
 * `--reps` times per batch size in alternating order, keeping each mode's best rate. It uses an evenly spaced
 * subset of at most `--samples` samples (ham, spam and every obfuscation alike). Peak memory: one
 * process per (mode, suite) runs the whole suite once at the largest batch size.
 *
 * Modes:
 *   evaluator  runSuite + the transformers.js runner (AutoTokenizer + AutoModelForSequenceClassification),
 *              tokenizing the next batch in a worker thread while the model runs
 *   evaluator-main  the same with the tokenizer on the main thread (`tokenizerWorkers: 0`)
 *   bare       the same tokenizer.json through @huggingface/tokenizers, then InferenceSession.run
 *   tokenizer  the evaluator's tokenizer alone (the fast encoder to padded int64 batches, main thread)
 *   session    InferenceSession.run alone on tensors tokenized beforehand (model compute only)
 *
 * BERT-base section: one process per device writes the seeded model once (about 400 MB, in the
 * temp dir), then times the evaluator's runner (tokenizer included) and session.run alone on the
 * same batches. Default devices: cpu, plus cuda where its provider is installed and webgpu on a
 * hardware adapter; a software adapter (SwiftShader) is far too slow for BERT-base (minutes per
 * sample) and is only run when named.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';

import { loadSamples } from '../src/datasets/loadSamples.js';
import type { ClassificationSample } from '../src/datasets/types.js';
import { THROUGHPUT_ONLY, writeThroughputModel } from '../src/models/writeThroughputModel.js';
import { runSuite } from '../src/run/runSuite.js';
import {
  createTransformersRunner,
  EVALUATOR_SESSION_OPTIONS,
} from '../src/runners/createTransformersRunner.js';
import { createBatchTokenizer } from '../src/runners/createBatchTokenizer.js';
import { createWordPieceEncoder } from '../src/runners/createWordPieceEncoder.js';
import { probeWebGpuAdapter } from '../src/runners/probeWebGpuAdapter.js';
import type { Device } from '../src/runners/types.js';
import { BUNDLED_SUITES_DIR, loadSuite } from '../src/suites/loadSuite.js';
import type { LoadedSuite } from '../src/suites/types.js';

const MODES = ['evaluator', 'evaluator-main', 'bare', 'tokenizer', 'session'] as const;
/** Modes whose peak memory is measured: the tokenizer alone is part of the evaluator's. */
const MEMORY_MODES = MODES.filter((mode) => mode !== 'tokenizer');
type Mode = (typeof MODES)[number];
interface RateResult {
  suite: string;
  samples: number;
  /** rates[mode][batch] = best samples/s */
  rates: Record<Mode, Record<number, number>>;
  /** cpu[mode][batch] = least CPU time (all threads) per sample, µs: what the load does not change */
  cpu: Record<Mode, Record<number, number>>;
}
interface BertResult {
  device: string;
  adapter: string;
  batch: number;
  samples: number;
  evaluator: number;
  session: number;
  loadMs: number;
  peakRssMb: number;
}
interface MemoryResult {
  mode: Mode;
  suite: string;
  samples: number;
  peakRssMb: number;
}

// The evaluator's folder, from the suites folder's place (also right in the gpu-check bundle).
const root = resolve(BUNDLED_SUITES_DIR, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'models/mail-guard-v2') },
    suites: { type: 'string', default: 'spam-detection,over-blocking,robustness' },
    batches: { type: 'string', default: '1,8,32,64' },
    samples: { type: 'string', default: '800' },
    reps: { type: 'string', default: '3' },
    child: { type: 'string' },
    json: { type: 'string' },
    'bert-devices': { type: 'string' },
    'bert-samples': { type: 'string', default: '32' },
    'bert-batch': { type: 'string', default: '8' },
    'bert-dir': { type: 'string', default: join(tmpdir(), 'charter-throughput-bert-base') },
  },
});
const batches = values.batches.split(',').map(Number);
const modelDir = resolve(values.model);

if (values.child) {
  const [kind, suite, mode] = values.child.split(':') as ['rate' | 'memory' | 'bert', string, Mode];
  const result =
    kind === 'rate'
      ? await rates(suite)
      : kind === 'bert'
        ? await bert(suite as Device)
        : await memory(suite, mode);
  console.log(JSON.stringify(result));
} else {
  const rateResults: RateResult[] = [];
  const memoryResults: MemoryResult[] = [];
  const suites = values.suites === 'none' ? [] : values.suites.split(',');
  for (const suite of suites) {
    const r = await child<RateResult>(`rate:${suite}`);
    rateResults.push(r);
    process.stderr.write(`${suite}: ${JSON.stringify(r.rates)}\n`);
    for (const mode of MEMORY_MODES)
      memoryResults.push(await child<MemoryResult>(`memory:${suite}:${mode}`));
  }
  const bertResults: BertResult[] = [];
  for (const device of bertDevices()) {
    try {
      const r = await child<BertResult>(`bert:${device}`);
      bertResults.push(r);
      process.stderr.write(`bert-base ${device}: ${JSON.stringify(r)}\n`);
    } catch (error) {
      process.stderr.write(`bert-base ${device}: failed: ${String(error).split('\n')[0]}\n`);
    }
  }
  if (rateResults.length) console.log(table(rateResults, memoryResults));
  if (bertResults.length) console.log(`\n${bertTable(bertResults)}`);
  if (values.json)
    await writeFile(
      values.json,
      JSON.stringify(
        { machine: machine(), rates: rateResults, memory: memoryResults, bert: bertResults },
        null,
        2,
      ),
    );
}

function bertDevices(): Device[] {
  if (values['bert-devices'] === 'none') return [];
  if (values['bert-devices']) return values['bert-devices'].split(',') as Device[];
  const devices: Device[] = ['cpu'];
  const probe = probeWebGpuAdapter();
  if (probe.adapter && !probe.adapter.software) devices.push('webgpu');
  return devices;
}

async function child<T>(spec: string): Promise<T> {
  const self = fileURLToPath(import.meta.url);
  // Bundled (gpu-check): plain JavaScript; from the source tree: TypeScript through tsx.
  const args = self.endsWith('.ts') ? ['--import', 'tsx', self] : [self];
  args.push(
    '--child',
    spec,
    '--model',
    values.model,
    '--batches',
    values.batches,
    '--samples',
    values.samples,
    '--reps',
    values.reps,
    '--bert-samples',
    values['bert-samples'],
    '--bert-batch',
    values['bert-batch'],
    '--bert-dir',
    values['bert-dir'],
  );
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

async function rates(suiteRef: string): Promise<RateResult> {
  const suite = await loadSuite(suiteRef);
  const all = (await loadSamples(suite)) as ClassificationSample[];
  const stride = Math.max(1, Math.ceil(all.length / Number(values.samples)));
  const samples = all.filter((_, i) => i % stride === 0);
  const passes = {} as Record<Mode, Pass>;
  for (const mode of MODES) passes[mode] = await pass(mode, suite);

  // Untimed: one pass per mode (JIT, first allocations, the session's tensors for every size).
  for (const mode of MODES) for (const size of batches) await passes[mode](samples, size);

  const perMode = () =>
    Object.fromEntries(MODES.map((m) => [m, {} as Record<number, number>])) as Record<
      Mode,
      Record<number, number>
    >;
  const result = perMode();
  const cpu = perMode();
  for (const size of batches)
    for (let rep = 0; rep < Number(values.reps); rep++)
      // Whole passes (the evaluator overlaps one batch's tokenizing with the previous batch's
      // model run, so it is timed over many batches), in an order that alternates, so that load
      // from other processes on a shared machine falls on every mode alike; each mode's best.
      for (const mode of rep % 2 ? [...MODES].reverse() : MODES) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        await passes[mode](samples, size);
        const { user, system } = process.cpuUsage(cpuStarted);
        const rate = Math.round((samples.length / (performance.now() - started)) * 1000);
        result[mode][size] = Math.max(result[mode][size] ?? 0, rate);
        const cpuPerSample = Math.round(((user + system) / samples.length) * 10) / 10;
        cpu[mode][size] = Math.min(cpu[mode][size] ?? Infinity, cpuPerSample);
      }
  return { suite: suite.suite.name, samples: samples.length, rates: result, cpu };
}

async function memory(suiteRef: string, mode: Mode): Promise<MemoryResult> {
  const suite = await loadSuite(suiteRef);
  const samples = (await loadSamples(suite)) as ClassificationSample[];
  await (
    await pass(mode, suite)
  )(samples, Math.max(...batches));
  return {
    mode,
    suite: suite.suite.name,
    samples: samples.length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/**
 * Evaluator (runner.classify: tokenizer, tensors, session, softmax) and session.run alone on the
 * throughput-only BERT-base model, on `device`, on the same batches of real suite texts.
 */
async function bert(device: Device): Promise<BertResult> {
  const dir = values['bert-dir'];
  if (!existsSync(join(dir, 'onnx/model.onnx'))) await writeThroughputModel(dir);
  const size = Number(values['bert-batch']);
  const suite = await loadSuite('spam-detection');
  const texts = ((await loadSamples(suite)) as ClassificationSample[])
    .slice(0, Number(values['bert-samples']))
    .map((s) => s.text);
  const loadStart = performance.now();
  const runner = await createTransformersRunner(dir, { device });
  const loadMs = performance.now() - loadStart;
  const session = await ort.InferenceSession.create(join(dir, 'onnx/model.onnx'), {
    executionProviders: [device === 'webgpu' ? 'webgpu' : device],
    ...EVALUATOR_SESSION_OPTIONS,
  });
  const length = runner.settings.sequenceLength!;
  const feeds = (batch: number) => {
    const ids = new BigInt64Array(batch * length).fill(5n);
    const mask = new BigInt64Array(batch * length).fill(1n);
    return {
      input_ids: new ort.Tensor('int64', ids, [batch, length]),
      attention_mask: new ort.Tensor('int64', mask, [batch, length]),
    };
  };
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += size) chunks.push(texts.slice(i, i + size));
  // Untimed: one batch each (kernel selection, shader compilation on a GPU).
  await runner.classify(chunks[0]!);
  await session.run(feeds(chunks[0]!.length));
  let evaluatorMs = 0;
  let sessionMs = 0;
  for (const [i, chunk] of chunks.entries()) {
    const order = i % 2 ? ['session', 'evaluator'] : ['evaluator', 'session'];
    for (const mode of order) {
      const started = performance.now();
      if (mode === 'evaluator') await runner.classify(chunk);
      else await session.run(feeds(chunk.length));
      const ms = performance.now() - started;
      if (mode === 'evaluator') evaluatorMs += ms;
      else sessionMs += ms;
    }
  }
  await runner.dispose();
  const adapter = runner.settings.adapter;
  return {
    device,
    adapter: adapter ? `${adapter.vendor} ${adapter.device}` : device === 'cpu' ? cpuName() : '',
    batch: size,
    samples: texts.length,
    evaluator: round1((texts.length / evaluatorMs) * 1000),
    session: round1((texts.length / sessionMs) * 1000),
    loadMs: Math.round(loadMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function bertTable(results: BertResult[]): string {
  const cpu = results.find((r) => r.device === 'cpu');
  const lines = [
    `Throughput-only BERT-base-shaped model (12 layers, hidden 768, sequence 128; ${THROUGHPUT_ONLY})`,
    '',
    '| device | adapter | batch | samples | evaluator samples/s | session.run alone samples/s | evaluator / session | evaluator vs CPU | peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results)
    lines.push(
      `| ${r.device} | ${r.adapter} | ${r.batch} | ${r.samples} | ${r.evaluator} | ${r.session} | ${Math.round((r.evaluator / r.session) * 100)}% | ${cpu ? `${round1(r.evaluator / cpu.evaluator)}×` : 'n/a'} | ${r.peakRssMb} MB |`,
    );
  return lines.join('\n');
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function cpuName(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}`;
}

async function inBatches(
  samples: ClassificationSample[],
  size: number,
  run: (batch: ClassificationSample[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < samples.length; i += size) await run(samples.slice(i, i + size));
}

/** Scores samples in batches of `size` the way `mode` does. */
type Pass = (samples: ClassificationSample[], size: number) => Promise<void>;

async function pass(mode: Mode, suite: LoadedSuite): Promise<Pass> {
  if (mode === 'evaluator' || mode === 'evaluator-main') {
    const runner = await createTransformersRunner(modelDir, {
      device: 'cpu',
      ...(mode === 'evaluator-main' ? { tokenizerWorkers: 0 } : {}),
    });
    return async (samples, size) =>
      void (await runSuite({ suite, runner, batchSize: size, samples }));
  }
  const tokenizerConfig = JSON.parse(
    await readFile(join(modelDir, 'tokenizer_config.json'), 'utf8'),
  ) as {
    model_max_length: number;
  };
  const tokenizerJson = JSON.parse(await readFile(join(modelDir, 'tokenizer.json'), 'utf8'));
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  const maxLength = tokenizerConfig.model_max_length;
  if (mode === 'tokenizer') {
    const reference = (text: string, max: number) =>
      tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, max);
    const batchTokenizer = createBatchTokenizer({
      modelDir,
      length: maxLength,
      padId: 0,
      left: false,
      reference,
      fast: createWordPieceEncoder(tokenizerJson, tokenizerConfig, reference),
      workers: 0,
    });
    return (samples, size) =>
      inBatches(samples, size, (batch) => batchTokenizer.tokenize(batch.map((s) => s.text)));
  }
  // The evaluator's session options, so that "session.run alone" is the same model execution.
  const session = await ort.InferenceSession.create(join(modelDir, 'onnx/model.onnx'), {
    ...EVALUATOR_SESSION_OPTIONS,
  });
  const tensors = (batch: ClassificationSample[]) => {
    const ids = new BigInt64Array(batch.length * maxLength);
    const mask = new BigInt64Array(batch.length * maxLength);
    batch.forEach(({ text }, i) => {
      const encoded = tokenizer.encode(text, { add_special_tokens: false }).ids;
      for (let j = 0; j < Math.min(encoded.length, maxLength); j++) {
        ids[i * maxLength + j] = BigInt(encoded[j]!);
        mask[i * maxLength + j] = 1n;
      }
    });
    const dims = [batch.length, maxLength];
    return {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    };
  };
  const predict = async (feeds: ReturnType<typeof tensors>) => {
    const logits = (await session.run(feeds)).logits!.data as Float32Array;
    let positives = 0;
    for (let i = 0; i < logits.length; i += 2) if (logits[i + 1]! > logits[i]!) positives++;
    return positives;
  };
  if (mode === 'bare')
    return (samples, size) => inBatches(samples, size, (batch) => predict(tensors(batch)));
  // session: the tensors are built on first sight of a batch (untimed, above) and reused.
  const prepared = new Map<string, ReturnType<typeof tensors>>();
  return (samples, size) =>
    inBatches(samples, size, (batch) => {
      const key = `${batch[0]!.id}/${batch.length}`;
      if (!prepared.has(key)) prepared.set(key, tensors(batch));
      return predict(prepared.get(key)!);
    });
}

function table(rateResults: RateResult[], memoryResults: MemoryResult[]): string {
  const lines = [
    '| suite (samples timed) | batch | evaluator samples/s | evaluator, tokenizer on the main thread | bare tokenizer + session samples/s | evaluator / bare | session.run alone samples/s | evaluator / session.run alone | CPU µs per sample: evaluator / tokenizer alone / session.run alone |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const ratio = (a: number | undefined, b: number | undefined) => `${Math.round((a! / b!) * 100)}%`;
  for (const { suite, samples, rates: r, cpu } of rateResults)
    for (const size of batches)
      lines.push(
        `| ${suite} (${samples}) | ${size} | ${r.evaluator[size]} | ${r['evaluator-main'][size]} | ${r.bare[size]} | ${ratio(r.evaluator[size], r.bare[size])} | ${r.session[size]} | ${ratio(r.evaluator[size], r.session[size])} | ${cpu.evaluator[size]} / ${cpu.tokenizer[size]} / ${cpu.session[size]} |`,
      );
  lines.push(
    '',
    `| suite (samples) | peak RSS evaluator | peak RSS evaluator, tokenizer on the main thread | peak RSS bare | peak RSS session.run alone |`,
    '|---|---:|---:|---:|---:|',
  );
  for (const suite of new Set(memoryResults.map((m) => m.suite))) {
    const rows = MEMORY_MODES.map((mode) =>
      memoryResults.find((m) => m.suite === suite && m.mode === mode)!,
    );
    lines.push(
      `| ${suite} (${rows[0]!.samples}) | ${rows.map((m) => `${m.peakRssMb} MB`).join(' | ')} |`,
    );
  }
  lines.push('', `Machine: ${machine()}`);
  return lines.join('\n');
}

function machine(): string {
  const probe = probeWebGpuAdapter();
  const gpu =
    probe.adapter && !probe.adapter.software
      ? `GPU ${probe.adapter.vendor} ${probe.adapter.device} (${probe.adapter.driver})`
      : `no GPU (${probe.reason})`;
  return `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}-${process.arch}, ${gpu}`;
}
