// What a liar does to a report: per-sample outcomes changed, with the metrics, the samples root and the
// digest recomputed from them, so the report checks out against itself and against the chain and only
// re-running it shows the lie. Used by the evaluator's tests and the demo's dishonest evaluator.
import { computeMetrics } from '../metrics/computeMetrics.js';
import { reportDigest } from './reportDigest.js';
import { samplesRoot } from './samplesTree.js';
import type { Report } from './types.js';

/** `report` with `samples` in place of its own (same ids, same order), and everything derived from them. */
export function alterReport(report: Report, samples: Report['samples']): Report {
  const outcomes = samples.map((s) => ({ ...s, score: BigInt(s.score) }));
  const metricIds = report.metrics.map((m) => m.id);
  // The digest leaves out `digest` itself (and host facts and timings): computed over the altered report.
  const altered = {
    ...report,
    samples,
    metrics: computeMetrics(outcomes, metricIds).map((m) => ({
      id: m.id,
      value: m.value.toString(),
    })),
    samplesRoot: samplesRoot(outcomes),
  };
  return { ...altered, digest: reportDigest(altered) };
}
