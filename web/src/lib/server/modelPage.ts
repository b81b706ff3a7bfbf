import { error } from '@sveltejs/kit';

import { metricToNumber } from '$lib/format';
import type { Result } from '$lib/indexer';
import { indexer, read } from './indexer';
import { evaluatorNames, suiteNames } from './names';
import { hex32 } from './params';

export interface MetricChart {
  suiteId: string;
  suite: string;
  metric: string;
  series: { name: string; points: { x: number; y: number }[] }[];
  threshold: { value: number; label: string } | null;
}

/** One chart per (suite, metric): each evaluator's results over time, with the policy's threshold. */
function charts(
  results: Result[],
  suites: Record<string, string>,
  evaluators: Record<string, string>,
  thresholds: Map<string, { value: string; comparator: string; policy: string }>,
): MetricChart[] {
  const bySuiteMetric = new Map<string, MetricChart>();
  for (const result of results.toSorted((a, b) => a.submittedAt - b.submittedAt)) {
    for (const [metric, value] of Object.entries(result.metrics)) {
      const key = `${result.suiteId}/${metric}`;
      let chart = bySuiteMetric.get(key);
      if (!chart) {
        const rule = thresholds.get(key);
        chart = {
          suiteId: result.suiteId,
          suite: suites[result.suiteId] ?? result.suiteId.slice(0, 10),
          metric,
          series: [],
          threshold: rule
            ? {
                value: metricToNumber(rule.value),
                label: `${rule.policy}: ${rule.comparator === '>=' ? '≥' : '≤'} ${metricToNumber(rule.value)}`,
              }
            : null,
        };
        bySuiteMetric.set(key, chart);
      }
      const name = evaluators[result.evaluator.toLowerCase()] ?? result.evaluator.slice(0, 10);
      let series = chart.series.find((s) => s.name === name);
      if (!series) chart.series.push((series = { name, points: [] }));
      series.points.push({ x: result.submittedAt, y: metricToNumber(value) });
    }
  }
  return [...bySuiteMetric.values()];
}

/** A model version: its history, its results, and a chart per metric. */
export async function modelPage(id: string) {
  const modelId = hex32(id);
  if (!modelId) error(404, 'No such model version');
  const [model, evaluators, suites, policies] = await Promise.all([
    read(indexer.models.get(modelId)),
    evaluatorNames(),
    suiteNames(),
    read(indexer.policies.list()),
  ]);
  // Thresholds from each policy's current version; the policy it was approved under wins.
  const details = await Promise.all(policies.map((p) => read(indexer.policies.get(p.id))));
  const thresholds = new Map<string, { value: string; comparator: string; policy: string }>();
  const ordered = details.toSorted((a) => (a.id === model.approvedUnder?.policyId ? -1 : 1));
  for (const policy of ordered) {
    const current = policy.versions.at(-1);
    for (const rule of current?.rules ?? []) {
      const key = `${rule.suiteId}/${rule.metric}`;
      if (!thresholds.has(key)) {
        thresholds.set(key, {
          value: rule.threshold,
          comparator: rule.comparator,
          policy: policy.name,
        });
      }
    }
  }
  const siblings = await read(indexer.models.list({ family: model.family, limit: 50 }));
  return {
    model,
    evaluators,
    suites,
    charts: charts(model.results, suites, evaluators, thresholds),
    siblings: siblings.items,
  };
}
