import { resolve } from 'node:path';

import { loadSamples } from '../datasets/loadSamples.js';
import type { Sample } from '../datasets/types.js';
import type { Report } from '../reports/types.js';
import {
  createTransformersRunner,
  type TransformersRunnerOptions,
} from '../runners/createTransformersRunner.js';
import type { Runner } from '../runners/types.js';
import type { LoadedSuite } from '../suites/types.js';
import type { Hex32 } from '../util/sha256.js';
import { evaluateModel } from './evaluateModel.js';

export interface EvaluationCache {
  /**
   * Evaluates a model whose directory has been checked to have `modelDigest`, reusing the samples
   * and runner of earlier evaluations in this process. The report is the one `evaluateModel` with
   * `modelDir` gives (same digest); only its timings differ.
   */
  evaluate(options: {
    suite: LoadedSuite;
    modelDir: string;
    modelDigest: Hex32;
    batchSize?: number;
  }): Promise<Report>;
  /** Closes every kept runner (ONNX sessions, tokenizer workers). */
  dispose(): Promise<void>;
}

/**
 * Keeps, for the life of a long-running evaluator (the watcher), what every evaluation would
 * otherwise redo: each suite's samples, keyed by the suite's id (the digest of its definition,
 * datasets' hashes included, so a changed suite is loaded anew), and each model's runner, keyed by
 * the model's digest (so one artifact never runs in another's session). Runners all use the same
 * `runnerOptions`; the `maxRunners` used last stay open (each holds a session and tokenizer workers: a
 * watcher of many versions must not keep them all). Evaluations must not overlap: a runner serves one at
 * a time, so an evicted runner is idle when it is closed.
 */
export function createEvaluationCache(
  runnerOptions: TransformersRunnerOptions = {},
  maxRunners = 2,
): EvaluationCache {
  const samples = new Map<Hex32, Promise<Sample[]>>();
  const runners = new Map<Hex32, Promise<Runner>>();

  /** The kept value, or a new one; a failed load is forgotten, so the next call tries again. */
  function kept<T>(map: Map<Hex32, Promise<T>>, key: Hex32, load: () => Promise<T>): Promise<T> {
    let value = map.get(key);
    if (value) {
      map.delete(key); // re-inserted below: a Map iterates in insertion order, least recent first
    } else {
      value = load();
      value.catch(() => map.delete(key));
    }
    map.set(key, value);
    return value;
  }

  async function closeLeastRecentRunners(): Promise<void> {
    for (const [digest, runner] of runners) {
      if (runners.size <= maxRunners) return;
      runners.delete(digest);
      await (await runner).dispose();
    }
  }

  return {
    async evaluate({ suite, modelDir, modelDigest, batchSize }) {
      const suiteSamples = await kept(samples, suite.id, () => loadSamples(suite));
      const runner = await kept(runners, modelDigest, () =>
        createTransformersRunner(modelDir, runnerOptions),
      );
      await closeLeastRecentRunners();
      return evaluateModel({
        suite,
        samples: suiteSamples,
        runner,
        modelDigest,
        modelPath: resolve(modelDir),
        batchSize,
      });
    },
    async dispose() {
      const open = [...runners.values()];
      runners.clear();
      samples.clear();
      const settled = await Promise.allSettled(open);
      for (const result of settled) if (result.status === 'fulfilled') await result.value.dispose();
    },
  };
}
