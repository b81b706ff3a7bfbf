// The Merkle tree over a report's per-sample outcomes, as the evaluator commits to it and the evidence
// registry checks a dispute's proof against it: OpenZeppelin's standard tree, whose leaf is
// keccak256(keccak256(abi.encode(string id, uint256 label, uint256 prediction, uint256 score))).
// Built with viem alone so the web can prove a sample in the browser; the evaluator's
// `samplesTree.test.ts` proves it equal to OpenZeppelin's library.
import { concat, encodeAbiParameters, keccak256, type Hex } from 'viem';

/** One sample's outcome as a report lists it and the registry's `Sample` struct takes it. */
export interface SampleOutcome {
  id: string;
  label: bigint;
  prediction: bigint;
  score: bigint;
}

export interface SamplesTree {
  root: Hex;
  /** The proof that the sample with this id is in the tree; throws for an id the report lacks. */
  proof(sampleId: string): Hex[];
}

const leafParameters = [
  { type: 'string' },
  { type: 'uint256' },
  { type: 'uint256' },
  { type: 'uint256' },
] as const;

/** The leaf's ABI types, as OpenZeppelin's `StandardMerkleTree` takes them. */
export const SAMPLE_LEAF_ENCODING: string[] = leafParameters.map((p) => p.type);

const UINT256_LIMIT = 1n << 256n;

/** The leaf hash the registry recomputes from a dispute's `committed` sample. */
export function sampleLeaf(sample: SampleOutcome): Hex {
  for (const value of [sample.label, sample.prediction, sample.score])
    if (value < 0n || value >= UINT256_LIMIT)
      throw new RangeError(`sample ${sample.id}: ${value} is not a uint256`);
  const encoded = encodeAbiParameters(leafParameters, [
    sample.id,
    sample.label,
    sample.prediction,
    sample.score,
  ]);
  return keccak256(keccak256(encoded, 'bytes'));
}

/** Equal-length lowercase hex sorts as the numbers it spells: the library's order of leaves and pairs. */
const byValue = (a: Hex, b: Hex) => (a < b ? -1 : a > b ? 1 : 0);

export function samplesTree(samples: readonly SampleOutcome[]): SamplesTree {
  if (samples.length === 0) throw new RangeError('a report without samples has no samples tree');
  const leaves = samples.map(sampleLeaf);
  const sorted = [...leaves].sort(byValue);
  // The library's layout: sorted leaves at the end in reverse order, node i over 2i+1 and 2i+2.
  const tree: Hex[] = new Array<Hex>(2 * sorted.length - 1);
  sorted.forEach((leaf, i) => (tree[tree.length - 1 - i] = leaf));
  for (let i = tree.length - 1 - sorted.length; i >= 0; i--) {
    const pair = [tree[2 * i + 1]!, tree[2 * i + 2]!].sort(byValue);
    tree[i] = keccak256(concat(pair));
  }
  const indexOf = new Map(samples.map((s, i) => [s.id, i]));
  return {
    root: tree[0]!,
    proof(sampleId) {
      const at = indexOf.get(sampleId);
      if (at === undefined) throw new RangeError(`the report has no sample "${sampleId}"`);
      const proof: Hex[] = [];
      let node = tree.length - 1 - sorted.indexOf(leaves[at]!);
      while (node > 0) {
        proof.push(tree[node % 2 === 1 ? node + 1 : node - 1]!);
        node = Math.floor((node - 1) / 2);
      }
      return proof;
    },
  };
}
