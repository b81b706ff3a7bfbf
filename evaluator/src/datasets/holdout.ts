import { createHash } from 'node:crypto';

import type { SplitDecl } from '../suites/types.js';

/**
 * Whether a sample falls in the held-out part of a split. The decision hashes only the salt and
 * the sample's id, so it never changes when samples are added, removed or reordered, and the
 * training script and every suite agree on it without sharing any state.
 */
export function inHoldout(split: Pick<SplitDecl, 'salt' | 'fraction'>, sampleId: string): boolean {
  const digest = createHash('sha256').update(`${split.salt}/${sampleId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < split.fraction;
}

/** Whether the split declaration keeps this sample. */
export function keepsSample(split: SplitDecl | undefined, sampleId: string): boolean {
  if (!split) return true;
  return inHoldout(split, sampleId) === (split.use === 'holdout');
}
