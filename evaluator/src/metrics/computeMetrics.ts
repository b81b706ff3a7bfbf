import type { Outcome } from '../reports/types.js';
import { METRICS, type Confusion } from './metrics.js';
import { UnknownMetricError } from '../errors.js';

export interface MetricValue {
  id: string;
  /** WAD (18-decimal fixed point). */
  value: bigint;
}

/** The suite's metrics, in its declared order, over binary outcomes (label 1 = positive). */
export function computeMetrics(
  outcomes: readonly Outcome[],
  metricIds: readonly string[],
): MetricValue[] {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const { label, prediction } of outcomes) {
    if (label === 1) c[prediction === 1 ? 'tp' : 'fn']++;
    else c[prediction === 1 ? 'fp' : 'tn']++;
  }
  return metricIds.map((id) => {
    const metric = METRICS[id];
    if (!metric)
      throw new UnknownMetricError(`unknown metric "${id}"`, {
        metric: id,
        known: Object.keys(METRICS),
      });
    return { id, value: metric.compute(c) };
  });
}
