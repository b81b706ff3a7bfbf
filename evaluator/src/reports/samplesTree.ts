import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { concat, keccak256, toHex, type Hex } from 'viem';

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

/**
 * The root of `samplesTree(outcomes)`, computed here without the library's ABI coder (a parser
 * per number, most of the time of a report): the same leaves (the ABI encoding of the tuple,
 * hashed twice with keccak256), sorted by hash, and the same tree, node = keccak256 of the
 * sorted pair; `samplesTree.test.ts` checks the two agree.
 */
export function samplesRoot(outcomes: readonly Outcome[]): Hex {
  if (outcomes.length === 0) return samplesTree(outcomes).root as Hex; // the library's error
  // Equal-length lowercase hex sorts as the numbers it spells, which is the library's order.
  const leaves = outcomes.map((o) => toHex(keccak256(keccak256(encodeLeaf(o), 'bytes'), 'bytes')));
  leaves.sort();
  // The library's layout: leaves at the end in reverse order, node i over 2i+1 and 2i+2.
  const tree: Hex[] = new Array(2 * leaves.length - 1);
  leaves.forEach((leaf, i) => (tree[tree.length - 1 - i] = leaf));
  for (let i = tree.length - 1 - leaves.length; i >= 0; i--) {
    const [a, b] = [tree[2 * i + 1]!, tree[2 * i + 2]!].sort();
    tree[i] = keccak256(concat([a!, b!]));
  }
  return tree[0]!;
}

/** abi.encode(string id, uint256 label, uint256 prediction, uint256 score). */
function encodeLeaf(outcome: Outcome): Uint8Array {
  const id = new TextEncoder().encode(outcome.id);
  const out = new Uint8Array(32 * 5 + Math.ceil(id.length / 32) * 32);
  const word = (index: number, value: bigint) => {
    if (value < 0n || value >= 1n << 256n)
      throw new RangeError(`sample ${outcome.id}: ${value} is not a uint256`);
    for (let k = 31; value > 0n; k--, value >>= 8n) out[index * 32 + k] = Number(value & 0xffn);
  };
  word(0, 0x80n); // where the string starts: after the four head words
  word(1, BigInt(outcome.label));
  word(2, BigInt(outcome.prediction));
  word(3, outcome.score);
  word(4, BigInt(id.length));
  out.set(id, 32 * 5);
  return out;
}
