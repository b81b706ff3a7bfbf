import { error } from '@sveltejs/kit';

import { formatMetric, wadToNumber, type Comparator } from '@charter/contracts/protocol';

import { comparatorSymbol } from '$lib/format';
import type { Result } from '$lib/indexer';
import { indexer, read } from './indexer';
import { evaluatorNames, suiteNames } from './names';
import { hex32 } from './params';

export interface MetricChart {
  suiteId: string;
  suite: string;
  metric: string;
  series: { name: string; style: number; points: { x: number; y: number }[] }[];
  threshold: { value: number; label: string } | null;
}

/**
 * One chart per (suite, metric): each evaluator's results over time, with the policy's threshold. Each
 * evaluator keeps one style (colour and marker) across all of the page's charts, by its address.
 */
export function charts(
  results: Result[],
  suites: Record<string, string>,
  evaluators: Record<string, string>,
  thresholds: Map<string, { value: string; comparator: Comparator; policy: string }>,
): MetricChart[] {
  const bySuiteMetric = new Map<string, MetricChart>();
  const styles = new Map(
    [...new Set(results.map((r) => r.evaluator.toLowerCase()))].toSorted().map((e, i) => [e, i]),
  );
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
                value: wadToNumber(rule.value),
                label: `${rule.policy}: ${comparatorSymbol[rule.comparator]} ${formatMetric(rule.value)}`,
              }
            : null,
        };
        bySuiteMetric.set(key, chart);
      }
      const name = evaluators[result.evaluator.toLowerCase()] ?? result.evaluator.slice(0, 10);
      const style = styles.get(result.evaluator.toLowerCase())!;
      let series = chart.series.find((s) => s.style === style);
      if (!series) chart.series.push((series = { name, style, points: [] }));
      series.points.push({ x: result.submittedAt, y: wadToNumber(value) });
    }
  }
  // The same evaluators in the same order in every legend.
  return [...bySuiteMetric.values()].map((c) => ({
    ...c,
    series: c.series.toSorted((a, b) => a.style - b.style),
  }));
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
  const thresholds = new Map<string, { value: string; comparator: Comparator; policy: string }>();
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
