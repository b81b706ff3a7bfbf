import { samplesTree as protocolSamplesTree } from '@charter/contracts/protocol';
import { describe, expect, it } from 'vitest';

import { samplesRoot, samplesTree } from './samplesTree.js';
import type { Outcome } from './types.js';

const WAD = 10n ** 18n;
const ids = [
  'spam/00001.7848dde101aa985090474a91ec93fcf0',
  '',
  'ham-hard/0042#homoglyph',
  'ünïcödé ρ тест 😀',
  'x'.repeat(32),
  'y'.repeat(33),
  'z'.repeat(100),
];
const outcomes = (count: number): Outcome[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${ids[i % ids.length]}/${i}`,
    label: i % 2,
    prediction: (i >> 1) % 2,
    score: [0n, WAD, WAD / 2n, 1234n * 10n ** 14n, 2n ** 255n][i % 5]!,
  }));

describe('samplesRoot', () => {
  it("is the OpenZeppelin standard tree's root, for any count and any sample id", () => {
    for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 33, 100]) {
      const few = outcomes(count);
      expect(samplesRoot(few), `${count} samples`).toBe(samplesTree(few).root);
    }
  });

  it("rests on the protocol's tree, whose proofs are the library's for every sample", () => {
    for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 9, 33]) {
      const few = outcomes(count);
      const [theirs, mine] = [
        samplesTree(few),
        protocolSamplesTree(
          few.map((o) => ({ ...o, label: BigInt(o.label), prediction: BigInt(o.prediction) })),
        ),
      ];
      expect(mine.root, `${count} samples`).toBe(theirs.root);
      few.forEach((o, i) => expect(mine.proof(o.id), o.id).toEqual(theirs.getProof(i)));
    }
  });

  it('refuses what the tree refuses: no samples, a score beyond uint256', () => {
    expect(() => samplesRoot([])).toThrow();
    expect(() => samplesRoot([{ id: 'a', label: 0, prediction: 0, score: 1n << 256n }])).toThrow(
      /sample a: .* is not a uint256/,
    );
  });
});
