import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

import type { Outcome } from './types.js';

/** Leaf encoding shared with the Evidence contract: abi.encode(id, label, prediction, score). */
export const SAMPLE_LEAF_ENCODING = ['string', 'uint256', 'uint256', 'uint256'];

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
