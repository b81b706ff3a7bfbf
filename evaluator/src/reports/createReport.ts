import type { SuiteRun } from '../run/runSuite.js';
import type { Hex32 } from '../util/sha256.js';
import { scoreDecimalsOf } from '../suites/types.js';
import { hostFacts } from './hostFacts.js';
import { reportDigest } from './reportDigest.js';
import { samplesRoot } from './samplesTree.js';
import {
  REPORT_FORMAT,
  type HostFacts,
  type Report,
  type ReportRunner,
  type RunnerInfo,
} from './types.js';

export interface CreateReportOptions {
  /** The model's digest (`modelDigest(dir)`; for a served model, the digest of what it serves). */
  modelDigest: Hex32;
  modelPath?: string;
  startedAt?: Date;
  /** Overrides for the recorded host facts (tests). */
  host?: Partial<HostFacts>;
}

/** Turns a suite run into a report: metrics as WAD strings, sorted samples, Merkle root, digest. */
export function createReport(run: SuiteRun, options: CreateReportOptions): Report {
  const reportStart = performance.now();
  const { suite } = run;
  const samples = [...run.outcomes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const body: Omit<Report, 'digest'> = {
    format: REPORT_FORMAT,
    suite: {
      id: suite.id,
      name: suite.suite.name,
      version: suite.suite.version,
      datasetDigest: suite.datasetDigest,
      scoreDecimals: scoreDecimalsOf(suite.suite),
    },
    model: { digest: options.modelDigest },
    runner: reportRunner(run.runner),
    metrics: run.metrics.map((m) => ({ id: m.id, value: m.value.toString() })),
    samples: samples.map((s) => ({
      id: s.id,
      label: s.label,
      prediction: s.prediction,
      score: s.score.toString(),
    })),
    samplesRoot: samplesRoot(samples) as Hex32,
    host: {
      ...hostFacts({
        startedAt: (options.startedAt ?? new Date()).toISOString(),
        modelPath: options.modelPath,
        suitePath: suite.path,
        settings: run.settings,
      }),
      ...options.host,
    },
    timings: {
      loadMs: Math.round(run.timings.loadMs),
      inferMs: Math.round(run.timings.inferMs),
      totalMs: 0,
      samplesPerSecond:
        run.timings.inferMs > 0 ? Math.round((samples.length / run.timings.inferMs) * 1000) : 0,
    },
  };
  body.timings.totalMs = Math.round(
    run.timings.loadMs + run.timings.inferMs + performance.now() - reportStart,
  );
  return { ...body, digest: reportDigest(body) };
}

/** The runner as digested: without the device, which `host.settings` records. */
function reportRunner({ device: _device, ...rest }: RunnerInfo): ReportRunner {
  return rest;
}
