// A liar's report for tests: some per-sample outcomes changed so that the metrics look better, with the
// metrics, the Merkle root and the digest recomputed, so that the report is internally consistent and
// only a re-run shows the lie.
import { computeMetrics } from '../metrics/computeMetrics.js';
import { reportDigest } from '../reports/reportDigest.js';
import { samplesRoot } from '../reports/samplesTree.js';
import type { Report } from '../reports/types.js';
import { scoreOutcome } from '../run/scoreOutcome.js';

/**
 * `report` with the outcomes of `count` samples turned right (prediction = label, with a confident score)
 * where the model got them wrong, or, when it got fewer wrong, turned wrong; returns the report and the ids
 * altered, in the report's (sorted) order.
 */
export function alteredReport(report: Report, count = 3): { report: Report; altered: string[] } {
  const decimals = report.suite.scoreDecimals;
  const wrong = report.samples.filter((s) => s.prediction !== s.label);
  const chosen = new Set(
    [...wrong, ...report.samples.filter((s) => s.prediction === s.label)]
      .slice(0, count)
      .map((s) => s.id),
  );
  const samples = report.samples.map((s) => {
    if (!chosen.has(s.id)) return s;
    // Flip the outcome: a probability of 0.97 for the opposite class of the one predicted.
    const { prediction, score } = scoreOutcome(s.prediction === 1 ? 0.03 : 0.97, decimals);
    return { ...s, prediction, score: score.toString() };
  });
  const outcomes = samples.map((s) => ({ ...s, score: BigInt(s.score) }));
  const body: Omit<Report, 'digest'> & { digest?: string } = {
    ...report,
    samples,
    metrics: computeMetrics(
      outcomes,
      report.metrics.map((m) => m.id),
    ).map((m) => ({ id: m.id, value: m.value.toString() })),
    samplesRoot: samplesRoot(outcomes),
  };
  delete body.digest;
  return {
    report: { ...body, digest: reportDigest(body) },
    altered: samples.filter((s) => chosen.has(s.id)).map((s) => s.id),
  };
}
