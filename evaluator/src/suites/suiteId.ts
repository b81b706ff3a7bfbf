import { canonicalJson } from '../util/canonicalJson.js';
import { sha256, type Hex32 } from '../util/sha256.js';
import type { DatasetDecl, Suite } from './types.js';

/** A suite's id: sha256 of its RFC 8785 canonical JSON, so any edit yields a new suite. */
export function suiteId(suite: Suite): Hex32 {
  return sha256(canonicalJson(suite));
}

/** The on-chain dataset digest: sha256 of the canonical JSON of the dataset list, hashes included. */
export function datasetDigest(datasets: readonly DatasetDecl[]): Hex32 {
  return sha256(canonicalJson(datasets));
}
