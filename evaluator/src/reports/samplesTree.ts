import {
  SAMPLE_LEAF_ENCODING,
  samplesTree as protocolSamplesTree,
} from '@charter/contracts/protocol';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { Hex } from 'viem';

import type { Outcome } from './types.js';

/** Leaf encoding shared with the Evidence contract: abi.encode(id, label, prediction, score). */
export { SAMPLE_LEAF_ENCODING };

export type SampleLeaf = [id: string, label: bigint, prediction: bigint, score: bigint];

/**
 * The OpenZeppelin standard Merkle tree over per-sample outcomes; the contract verifies a
 * proof with MerkleProof against keccak256(bytes.concat(keccak256(abi.encode(leaf)))).
 */
export function samplesTree(outcomes: readonly Outcome[]): StandardMerkleTree<SampleLeaf> {
  const leaves = outcomes.map((o): SampleLeaf => [
    o.id,
    BigInt(o.label),
    BigInt(o.prediction),
    o.score,
  ]);
  return StandardMerkleTree.of(leaves, SAMPLE_LEAF_ENCODING);
}

/**
 * The root of `samplesTree(outcomes)`, computed with the protocol's viem-only tree instead of the
 * library's ABI coder (a parser per number, most of the time of a report); `samplesTree.test.ts`
 * checks the two agree.
 */
export function samplesRoot(outcomes: readonly Outcome[]): Hex {
  if (outcomes.length === 0) return samplesTree(outcomes).root as Hex; // the library's error
  return protocolSamplesTree(
    outcomes.map((o) => ({ ...o, label: BigInt(o.label), prediction: BigInt(o.prediction) })),
  ).root;
}
