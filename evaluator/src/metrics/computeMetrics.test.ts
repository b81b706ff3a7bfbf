import { describe, expect, it } from 'vitest';

import { UnknownMetricError } from '../errors.js';
import type { Outcome } from '../reports/types.js';
import { ratioToWad } from '../util/wad.js';
import { computeMetrics } from './computeMetrics.js';

const outcome = (label: number, prediction: number, n: number): Outcome[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${label}${prediction}-${i}`,
    label,
    prediction,
    score: 0n,
  }));

describe('computeMetrics', () => {
  // tp 8, fn 2, fp 1, tn 9
  const outcomes = [
    ...outcome(1, 1, 8),
    ...outcome(1, 0, 2),
    ...outcome(0, 1, 1),
    ...outcome(0, 0, 9),
  ];

  it('computes confusion-matrix metrics as WADs, in the order asked', () => {
    const values = computeMetrics(outcomes, [
      'f1',
      'accuracy',
      'precision',
      'recall',
      'false_positive_rate',
    ]);
    expect(values).toEqual([
      { id: 'f1', value: ratioToWad(16, 19) },
      { id: 'accuracy', value: ratioToWad(17, 20) },
      { id: 'precision', value: ratioToWad(8, 9) },
      { id: 'recall', value: ratioToWad(8, 10) },
      { id: 'false_positive_rate', value: ratioToWad(1, 10) },
    ]);
  });

  it('refuses a metric it does not know', () => {
    expect(() => computeMetrics(outcomes, ['auroc'])).toThrow(UnknownMetricError);
  });
});
