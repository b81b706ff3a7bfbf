import { existsSync } from 'node:fs';

import { ModelDigestMismatchError, SuiteMismatchError } from '../errors.js';
import { modelDigest } from '../models/modelDigest.js';
import { runSuite } from '../run/runSuite.js';
import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import type { Device, Runner } from '../runners/types.js';
import { loadSuite } from '../suites/loadSuite.js';
import type { Hex32 } from '../util/sha256.js';
import { createReport } from './createReport.js';
import { readReport } from './readReport.js';
import type { Report } from './types.js';

export interface VerifyOptions {
  /** Model directory; default: the one recorded in the report. */
  modelDir?: string;
  /** Suite file or bundled suite name; default: the recorded path, else the bundled suite of that name. */
  suite?: string;
  /** Run with this runner (e.g. an HTTP runner) instead of transformers.js on the report's device. */
  runner?: Runner;
  /** Default: the report's device. */
  device?: Device;
  batchSize?: number;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}

type SampleRow = Report['samples'][number];

export interface SampleDifference {
  id: string;
  /** undefined: the sample is missing from that side. */
  expected?: SampleRow;
  actual?: SampleRow;
}

export interface VerifyResult {
  reproduces: boolean;
  /** The digest the report records. */
  expected: Hex32;
  /** The digest of the re-run. */
  actual: Hex32;
  metrics: { id: string; expected: string; actual: string }[];
  samples: SampleDifference[];
  /** The report's runner fields that the re-run did not match (device, dtype...). */
  runner: string[];
  rerun: Report;
}

/**
 * Re-runs a report's suite on its model and says whether the result reproduces the report's
 * digest exactly, and if not, which metrics and samples differ. Refuses to re-run a different
 * model or suite than the report names: that would prove nothing.
 */
export async function verifyReport(
  reportOrPath: Report | string,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const report = typeof reportOrPath === 'string' ? await readReport(reportOrPath) : reportOrPath;

  // The recorded path may not exist on this host; the bundled suite of that name may.
  const recorded = report.host?.suitePath;
  const suiteRef =
    options.suite ?? (recorded && existsSync(recorded) ? recorded : report.suite.name);
  const suite = await loadSuite(suiteRef);
  if (suite.id !== report.suite.id)
    throw new SuiteMismatchError(
      `suite ${suiteRef} has id ${suite.id}, but the report was produced with suite ${report.suite.id}`,
      { suite: suiteRef, expected: report.suite.id, actual: suite.id },
    );

  let digest = report.model.digest;
  let runner = options.runner;
  if (!runner) {
    const modelDir = options.modelDir ?? report.host?.modelPath;
    if (!modelDir)
      throw new ModelDigestMismatchError(
        'the report records no model path: pass the model directory',
      );
    digest = await modelDigest(modelDir);
    if (digest !== report.model.digest)
      throw new ModelDigestMismatchError(
        `model ${modelDir} has digest ${digest}, but the report was produced with ${report.model.digest}`,
        { modelDir, expected: report.model.digest, actual: digest },
      );
    runner = await createTransformersRunner(modelDir, {
      device: options.device ?? (report.runner.device as Device),
      dtype: report.runner.dtype as 'fp32',
      log: options.log,
    });
  }
  try {
    const run = await runSuite({
      suite,
      runner,
      batchSize: options.batchSize ?? report.host?.batchSize,
      onProgress: options.onProgress,
    });
    const rerun = createReport(run, {
      modelDigest: digest,
      modelPath: options.modelDir ?? report.host?.modelPath,
    });
    return compare(report, rerun);
  } finally {
    if (!options.runner) await runner.dispose();
  }
}

function compare(report: Report, rerun: Report): VerifyResult {
  const metrics = report.metrics
    .map((m, i) => ({ id: m.id, expected: m.value, actual: rerun.metrics[i]?.value ?? '' }))
    .filter((m) => m.expected !== m.actual);
  const actualById = new Map(rerun.samples.map((s) => [s.id, s]));
  const samples: SampleDifference[] = [];
  for (const expected of report.samples) {
    const actual = actualById.get(expected.id);
    actualById.delete(expected.id);
    if (
      !actual ||
      actual.label !== expected.label ||
      actual.prediction !== expected.prediction ||
      actual.score !== expected.score
    )
      samples.push({ id: expected.id, expected, actual });
  }
  for (const actual of actualById.values()) samples.push({ id: actual.id, actual });
  const runner = (['name', 'device', 'dtype', 'model', 'endpoint'] as const).filter(
    (key) => report.runner[key] !== rerun.runner[key],
  );
  return {
    reproduces: rerun.digest === report.digest,
    expected: report.digest,
    actual: rerun.digest,
    metrics,
    samples,
    runner,
    rerun,
  };
}
