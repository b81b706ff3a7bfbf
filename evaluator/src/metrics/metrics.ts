import { ratioToWad } from '../util/wad.js';

/** Counts of a binary task; label 1 is the positive class (spam, refusal, correct answer). */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface MetricDefinition {
  description: string;
  /** The value as a WAD (18-decimal fixed point), exact and rounded toward zero. */
  compute: (c: Confusion) => bigint;
}

/**
 * Every metric a suite may name. The name is also the on-chain metric id (UTF-8, right-padded
 * to bytes32), so names stay ASCII and at most 31 bytes. A ratio with a zero denominator is 0.
 */
export const METRICS: Readonly<Record<string, MetricDefinition>> = Object.freeze({
  accuracy: {
    description: '(tp + tn) / all samples',
    compute: (c) => ratioToWad(c.tp + c.tn, c.tp + c.fp + c.tn + c.fn),
  },
  precision: {
    description: 'tp / (tp + fp)',
    compute: (c) => ratioToWad(c.tp, c.tp + c.fp),
  },
  recall: {
    description: 'tp / (tp + fn): share of positives caught',
    compute: (c) => ratioToWad(c.tp, c.tp + c.fn),
  },
  f1: {
    description: '2tp / (2tp + fp + fn)',
    compute: (c) => ratioToWad(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  },
  false_positive_rate: {
    description: 'fp / (fp + tn): share of negatives wrongly flagged',
    compute: (c) => ratioToWad(c.fp, c.fp + c.tn),
  },
  false_negative_rate: {
    description: 'fn / (fn + tp): share of positives missed',
    compute: (c) => ratioToWad(c.fn, c.fn + c.tp),
  },
});

export function isKnownMetric(id: string): boolean {
  return Object.hasOwn(METRICS, id);
}
