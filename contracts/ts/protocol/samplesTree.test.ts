import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Equality with OpenZeppelin's library, proof by proof, is checked where the library is a dependency:
// evaluator/src/reports/samplesTree.test.ts.
import { samplesTree, type SampleOutcome } from './samplesTree';

// A report the evaluator wrote, with the root it committed to.
const report = JSON.parse(
  readFileSync(
    new URL('../../../web/tests/fixtures/over-blocking.report.json', import.meta.url),
    'utf8',
  ),
) as {
  samplesRoot: string;
  samples: { id: string; label: number; prediction: number; score: string }[];
};
const samples: SampleOutcome[] = report.samples.map((s) => ({
  id: s.id,
  label: BigInt(s.label),
  prediction: BigInt(s.prediction),
  score: BigInt(s.score),
}));

describe('samplesTree', () => {
  it("gives a real report's committed root", () => {
    expect(samplesTree(samples).root).toBe(report.samplesRoot);
  });

  it('refuses a sample the report does not have, no samples, and a value beyond uint256', () => {
    expect(() => samplesTree(samples).proof('nope')).toThrow('the report has no sample "nope"');
    expect(() => samplesTree([])).toThrow('without samples');
    expect(() => samplesTree([{ ...samples[0]!, id: 'a', score: 1n << 256n }])).toThrow(
      /sample a: .* is not a uint256/,
    );
  });
});
