import { existsSync } from 'node:fs';

import {
  AdapterUnavailableError,
  DeviceUnavailableError,
  ModelDigestMismatchError,
  NotReplayableError,
  SuiteMismatchError,
} from '../errors.js';
import { modelDigest } from '../models/modelDigest.js';
import { runSuite } from '../run/runSuite.js';
import { scoreStep } from '../run/scoreOutcome.js';
import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import type { Device, Runner } from '../runners/types.js';
import { loadSuite } from '../suites/loadSuite.js';
import type { Hex32 } from '../util/sha256.js';
import { createReport } from './createReport.js';
import { readReport } from './readReport.js';
import type { Report, RunSettings } from './types.js';

export interface VerifyOptions {
  /** Model directory; default: the one recorded in the report. */
  modelDir?: string;
  /** Suite file or bundled suite name; default: the recorded path, else the bundled suite of that name. */
  suite?: string;
  /** Run with this runner (e.g. an HTTP runner) instead of transformers.js on the report's device. */
  runner?: Runner;
  /** Default: the report's device (replayed). Another device is allowed, and said. */
  device?: Device;
  /** Default: the report's batch size (replayed). */
  batchSize?: number;
  /** Default: the report's thread count (replayed). */
  threads?: number;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}

type SampleRow = Report['samples'][number];

export interface SampleDifference {
  id: string;
  /** undefined: the sample is missing from that side. */
  expected?: SampleRow;
  actual?: SampleRow;
  /** The two scores are at most one step of the suite's precision apart. */
  withinPrecision: boolean;
  /** The predictions differ: a score within rounding of the decision boundary, or a real mismatch. */
  predictionDiffers: boolean;
}

/**
 * exact: the re-run has the report's digest. within-precision: it differs only in samples whose
 * scores are one rounding step apart (float noise that crossed a rounding step, or the decision
 * boundary). mismatch: anything else.
 */
export type Verdict = 'exact' | 'within-precision' | 'mismatch';

export interface NotReplayed {
  setting: string;
  recorded: string;
  here: string;
}

export interface VerifyResult {
  verdict: Verdict;
  /** `verdict` is not `mismatch`. */
  reproduces: boolean;
  /** The digest the report records. */
  expected: Hex32;
  /** The digest of the re-run. */
  actual: Hex32;
  metrics: { id: string; expected: string; actual: string }[];
  samples: SampleDifference[];
  /** The report's digested runner fields that the re-run did not match (name, dtype...). */
  runner: string[];
  /** Recorded settings the re-run could not or did not replay (another device, another version). */
  notReplayed: NotReplayed[];
  rerun: Report;
}

/**
 * Re-runs a report's suite on its model, replaying every recorded setting (device, batch size,
 * threads, dtype), and says whether the result reproduces the report: exactly, within the
 * suite's declared score precision, or not, naming the metrics and samples that differ and the
 * settings it could not replay. Refuses to re-run a different model or suite than the report
 * names (that would prove nothing), and a device this host does not have unless `device` says
 * where to run instead (`NotReplayableError`).
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
  const settings: Partial<RunSettings> = report.host?.settings ?? {};
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
    const device = options.device ?? (settings.device as Device | undefined) ?? 'auto';
    try {
      runner = await createTransformersRunner(modelDir, {
        device,
        dtype: report.runner.dtype as 'fp32',
        threads:
          options.threads ?? (typeof settings.threads === 'number' ? settings.threads : undefined),
        log: options.log,
      });
    } catch (cause) {
      if (
        options.device === undefined &&
        (cause instanceof DeviceUnavailableError || cause instanceof AdapterUnavailableError)
      )
        throw new NotReplayableError(
          `cannot replay this report here: it was made on ${describeDevice(settings)}, and ${cause.message}; pass --device cpu (or auto) to verify it on another device`,
          { recorded: settings.device, ...cause.details },
          { cause },
        );
      throw cause;
    }
  }
  try {
    const run = await runSuite({
      suite,
      runner,
      batchSize: options.batchSize ?? settings.batchSize ?? report.host?.batchSize,
      onProgress: options.onProgress,
    });
    const rerun = createReport(run, {
      modelDigest: digest,
      modelPath: options.modelDir ?? report.host?.modelPath,
    });
    return compare(report, rerun, options.runner ? [] : notReplayed(settings, run.settings));
  } finally {
    if (!options.runner) await runner.dispose();
  }
}

function describeDevice(settings: Partial<RunSettings>): string {
  const adapter = settings.adapter;
  return `${settings.device ?? 'an unrecorded device'}${adapter ? ` (${adapter.vendor} ${adapter.device})` : ''}`;
}

/** The recorded settings that differ in the re-run. */
function notReplayed(recorded: Partial<RunSettings>, here: RunSettings): NotReplayed[] {
  const out: NotReplayed[] = [];
  const check = (setting: string, a: unknown, b: unknown) => {
    if (a !== undefined && String(a) !== String(b))
      out.push({ setting, recorded: String(a), here: String(b) });
  };
  check('device', recorded.device, here.device);
  if (recorded.adapter || here.adapter)
    check(
      'adapter',
      recorded.adapter && `${recorded.adapter.vendor} ${recorded.adapter.device}`,
      here.adapter ? `${here.adapter.vendor} ${here.adapter.device}` : 'none',
    );
  check('batchSize', recorded.batchSize, here.batchSize);
  check('threads', recorded.threads, here.threads);
  check('sequenceLength', recorded.sequenceLength, here.sequenceLength);
  check('padding', recorded.padding, here.padding);
  for (const [name, version] of Object.entries(recorded.versions ?? {}))
    check(name, version, here.versions[name] ?? 'not installed');
  return out;
}

/**
 * The samples whose outcomes differ between a report and another run of the same suite (a re-run, or
 * another party's report), each classified against the suite's declared precision: the one rule for
 * "does this sample reproduce" that `verify`, `dispute` and the watcher's peer verification share.
 */
export function differingSamples(report: Report, other: Report): SampleDifference[] {
  const step = scoreStep(report.suite.scoreDecimals);
  const actualById = new Map(other.samples.map((s) => [s.id, s]));
  const samples: SampleDifference[] = [];
  for (const expected of report.samples) {
    const actual = actualById.get(expected.id);
    actualById.delete(expected.id);
    if (
      actual &&
      actual.label === expected.label &&
      actual.prediction === expected.prediction &&
      actual.score === expected.score
    )
      continue;
    const gap = actual ? BigInt(actual.score) - BigInt(expected.score) : undefined;
    samples.push({
      id: expected.id,
      expected,
      actual,
      withinPrecision:
        actual !== undefined && actual.label === expected.label && gap! <= step && gap! >= -step,
      predictionDiffers: actual?.prediction !== expected.prediction,
    });
  }
  for (const actual of actualById.values())
    samples.push({ id: actual.id, actual, withinPrecision: false, predictionDiffers: true });
  return samples;
}

function compare(report: Report, rerun: Report, unreplayed: NotReplayed[]): VerifyResult {
  const metrics = report.metrics
    .map((m, i) => ({ id: m.id, expected: m.value, actual: rerun.metrics[i]?.value ?? '' }))
    .filter((m) => m.expected !== m.actual);
  const samples = differingSamples(report, rerun);
  const runner = (['name', 'dtype', 'model', 'endpoint'] as const).filter(
    (key) => report.runner[key] !== rerun.runner[key],
  );
  const verdict: Verdict =
    rerun.digest === report.digest
      ? 'exact'
      : runner.length === 0 &&
          report.suite.scoreDecimals === rerun.suite.scoreDecimals &&
          samples.every((d) => d.withinPrecision)
        ? 'within-precision'
        : 'mismatch';
  return {
    verdict,
    reproduces: verdict !== 'mismatch',
    expected: report.digest,
    actual: rerun.digest,
    metrics,
    samples,
    runner,
    notReplayed: unreplayed,
    rerun,
  };
}
