import { loadSamples } from '../datasets/loadSamples.js';
import type { ClassificationSample, GenerationSample, Sample } from '../datasets/types.js';
import { ModelInvalidError, SuiteInvalidError } from '../errors.js';
import { computeMetrics, type MetricValue } from '../metrics/computeMetrics.js';
import type { Outcome, RunnerInfo, RunSettings } from '../reports/types.js';
import type { ClassifierRunner, GeneratorRunner, Runner } from '../runners/types.js';
import { scoreDecimalsOf, type LoadedSuite } from '../suites/types.js';
import { WAD } from '../util/wad.js';
import { judgeGeneration } from './judgeGeneration.js';
import { scoreOutcome } from './scoreOutcome.js';

export interface RunSuiteOptions {
  suite: LoadedSuite;
  runner: Runner;
  /** Samples per runner call; outcomes do not depend on it (to the suite's score precision). Default 32. */
  batchSize?: number;
  /** Already loaded samples of this suite (to skip reading the dataset again). */
  samples?: Sample[];
  onProgress?: (done: number, total: number) => void;
}

export interface SuiteRun {
  suite: LoadedSuite;
  runner: RunnerInfo;
  /** Every setting that can change a number, batch size included. */
  settings: RunSettings;
  /** Sorted by sample id. */
  outcomes: Outcome[];
  /** In the suite's declared order. */
  metrics: MetricValue[];
  batchSize: number;
  timings: { loadMs: number; inferMs: number };
}

/** Runs every sample of a suite through a runner and computes the suite's metrics. */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteRun> {
  const { suite, runner } = options;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be a positive integer`);

  const loadStart = performance.now();
  const samples = options.samples ?? (await loadSamples(suite));
  const inferStart = performance.now();
  const score =
    suite.suite.task === 'text-classification'
      ? classifierScorer(suite, runner)
      : generatorScorer(suite, runner);

  const outcomes: Outcome[] = [];
  options.onProgress?.(0, samples.length);
  // A classifier may get the next batches before this one is scored, so that its tokenizer
  // threads work on them while the model runs this one. Outcomes keep the batch order.
  const ahead = runner.kind === 'classifier' ? (runner.batchesAhead ?? 0) : 0;
  const batches: Promise<Outcome[]>[] = [];
  const start = (b: number) => {
    if (b * batchSize >= samples.length) return;
    batches[b] = score(samples.slice(b * batchSize, (b + 1) * batchSize));
    // Its failure is thrown when it is awaited; until then it must not count as unhandled.
    batches[b].catch(() => {});
  };
  for (let b = 0; b <= ahead; b++) start(b);
  for (let b = 0; b * batchSize < samples.length; b++) {
    const done = await batches[b]!;
    delete batches[b];
    start(b + ahead + 1);
    outcomes.push(...done);
    options.onProgress?.(outcomes.length, samples.length);
  }
  const inferEnd = performance.now();

  return {
    suite,
    runner: runner.info,
    settings: { ...runner.settings, batchSize },
    outcomes,
    metrics: computeMetrics(outcomes, suite.suite.metrics),
    batchSize,
    timings: { loadMs: inferStart - loadStart, inferMs: inferEnd - inferStart },
  };
}

type Scorer = (batch: Sample[]) => Promise<Outcome[]>;

function classifierScorer(loaded: LoadedSuite, runner: Runner): Scorer {
  if (runner.kind !== 'classifier')
    throw new SuiteInvalidError(
      `suite ${loaded.suite.name} classifies text; it needs a classifier runner`,
    );
  const positive = modelIndexOf(runner, loaded.suite.labels[1]);
  modelIndexOf(runner, loaded.suite.labels[0]);
  const decimals = scoreDecimalsOf(loaded.suite);
  return async (batch) => {
    const probabilities = await runner.classify(
      (batch as ClassificationSample[]).map((s) => s.text),
    );
    return batch.map((sample, i) => ({
      id: sample.id,
      label: sample.label,
      ...scoreOutcome(probabilities[i]![positive]!, decimals),
    }));
  };
}

function generatorScorer(loaded: LoadedSuite, runner: Runner): Scorer {
  if (runner.kind !== 'generator')
    throw new SuiteInvalidError(
      `suite ${loaded.suite.name} is a generation suite; it needs a generator runner`,
    );
  const generation = loaded.suite.generation!;
  return async (batch) => {
    const outputs = await (runner as GeneratorRunner).generate(
      (batch as GenerationSample[]).map((s) => ({
        prompt: s.prompt,
        system: generation.system,
        maxTokens: generation.maxTokens,
        temperature: generation.temperature,
      })),
    );
    return batch.map((sample, i) => {
      const prediction = judgeGeneration(generation, sample as GenerationSample, outputs[i]!)
        ? 1
        : 0;
      return { id: sample.id, label: sample.label, prediction, score: prediction ? WAD : 0n };
    });
  };
}

function modelIndexOf(runner: ClassifierRunner, label: string): number {
  const index = runner.labels.findIndex((l) => l.toLowerCase() === label.toLowerCase());
  if (index < 0)
    throw new ModelInvalidError(
      `the model has no label "${label}" (its labels: ${runner.labels.join(', ')})`,
      {
        label,
        modelLabels: runner.labels,
      },
    );
  return index;
}
