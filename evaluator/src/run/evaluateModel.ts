import { resolve } from 'node:path';

import type { Sample } from '../datasets/types.js';
import { modelDigest as digestOf } from '../models/modelDigest.js';
import { createReport } from '../reports/createReport.js';
import type { Report } from '../reports/types.js';
import {
  createTransformersRunner,
  type TransformersRunnerOptions,
} from '../runners/createTransformersRunner.js';
import type { Runner } from '../runners/types.js';
import { loadSuite } from '../suites/loadSuite.js';
import type { LoadedSuite } from '../suites/types.js';
import type { Hex32 } from '../util/sha256.js';
import { runSuite } from './runSuite.js';

export type EvaluateModelOptions = {
  /** A loaded suite, a suite file, or a bundled suite name. */
  suite: LoadedSuite | string;
  batchSize?: number;
  /** The suite's samples, already loaded (to skip reading its datasets again). */
  samples?: Sample[];
  onProgress?: (done: number, total: number) => void;
} & (
  | ({ modelDir: string } & TransformersRunnerOptions)
  | { runner: Runner; modelDigest: Hex32; modelPath?: string; modelDir?: undefined }
);

/**
 * Suite + model in, report out: loads the suite, runs the model (a transformers.js directory, or
 * an open runner with the digest of the model behind it) and builds the report.
 */
export async function evaluateModel(options: EvaluateModelOptions): Promise<Report> {
  const suite = typeof options.suite === 'string' ? await loadSuite(options.suite) : options.suite;
  const startedAt = new Date();
  if (options.modelDir === undefined) {
    const run = await runSuite({
      suite,
      runner: options.runner,
      batchSize: options.batchSize,
      samples: options.samples,
      onProgress: options.onProgress,
    });
    return createReport(run, {
      modelDigest: options.modelDigest,
      modelPath: options.modelPath,
      startedAt,
    });
  }
  const digest = await digestOf(options.modelDir);
  const runner = await createTransformersRunner(options.modelDir, options);
  try {
    const run = await runSuite({
      suite,
      runner,
      batchSize: options.batchSize,
      samples: options.samples,
      onProgress: options.onProgress,
    });
    return createReport(run, {
      modelDigest: digest,
      modelPath: resolve(options.modelDir),
      startedAt,
    });
  } finally {
    await runner.dispose();
  }
}
