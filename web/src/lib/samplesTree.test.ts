import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The evaluator's own tree (OpenZeppelin's library): what results commit to and disputes are checked against.
import { samplesTree as evaluatorTree } from '../../../evaluator/src/reports/samplesTree';
import { samplesTree, type SampleOutcome } from './samplesTree';

const report = JSON.parse(
  readFileSync(new URL('../../tests/fixtures/over-blocking.report.json', import.meta.url), 'utf8'),
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

/** The evaluator's outcome type keeps label and prediction as numbers. */
const asOutcomes = (few: SampleOutcome[]) =>
  few.map((s) => ({ ...s, label: Number(s.label), prediction: Number(s.prediction) }));

describe('samplesTree', () => {
  it("gives a real report's committed root", () => {
    expect(samplesTree(samples).root).toBe(report.samplesRoot);
  });

  it("gives the library's proof for every sample, and trees of every small size agree", () => {
    const reference = evaluatorTree(asOutcomes(samples));
    const tree = samplesTree(samples);
    samples.forEach((s, i) => expect(tree.proof(s.id)).toEqual(reference.getProof(i)));
    for (let n = 1; n <= 9; n++) {
      const few = samples.slice(0, n);
      const [mine, theirs] = [samplesTree(few), evaluatorTree(asOutcomes(few))];
      expect(mine.root).toBe(theirs.root);
      few.forEach((s, i) => expect(mine.proof(s.id)).toEqual(theirs.getProof(i)));
    }
  });

  it('refuses a sample the report does not have', () => {
    expect(() => samplesTree(samples).proof('nope')).toThrow('the report has no sample "nope"');
    expect(() => samplesTree([])).toThrow('without samples');
  });
});
