// A liar's report for tests: some per-sample outcomes changed so that the metrics look better (`alterReport`
// recomputes the rest, so only a re-run shows the lie).
import { alterReport } from '../reports/alterReport.js';
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
  return {
    report: alterReport(report, samples),
    altered: samples.filter((s) => chosen.has(s.id)).map((s) => s.id),
  };
}
