import { describe, expect, it } from 'vitest';

import type { Result } from '$lib/indexer';
import { charts } from './modelPage';

const labA = `0x${'a'.repeat(40)}`;
const labB = `0x${'b'.repeat(40)}`;
const result = (evaluator: string, suiteId: string, at: number, value: string): Result => ({
  id: `${evaluator}:${suiteId}:${at}`,
  modelId: `0x${'12'.repeat(32)}`,
  suiteId,
  evaluator,
  metrics: { f1: value },
  reportDigest: '0x',
  samplesRoot: '0x',
  uri: '',
  submittedAt: at,
  status: 'valid',
  superseded: false,
  countsFrom: at + 3600,
  standing: 'counts',
  bond: '1000000000000000000',
  disputes: [],
});

describe('charts', () => {
  it('gives each evaluator one style on every chart of the page, whoever posted first', () => {
    const spam = `0x${'01'.repeat(32)}`;
    const robust = `0x${'02'.repeat(32)}`;
    const made = charts(
      [
        result(labA, spam, 100, '900000000000000000'),
        result(labB, spam, 200, '910000000000000000'),
        // On this suite lab B posted first.
        result(labB, robust, 100, '800000000000000000'),
        result(labA, robust, 200, '800000000000000000'),
      ],
      { [spam]: 'spam-detection', [robust]: 'robustness' },
      { [labA]: 'Lab A', [labB]: 'Lab B' },
      new Map(),
    );
    const styles = made.map((c) => Object.fromEntries(c.series.map((s) => [s.name, s.style])));
    expect(styles).toEqual([
      { 'Lab A': 0, 'Lab B': 1 },
      { 'Lab A': 0, 'Lab B': 1 },
    ]);
    expect(made.map((c) => c.series.map((s) => s.name))).toEqual([
      ['Lab A', 'Lab B'],
      ['Lab A', 'Lab B'],
    ]);
  });
});
