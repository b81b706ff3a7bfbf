import { canonicalJson } from '../util/canonicalJson.js';
import { sha256, type Hex32 } from '../util/sha256.js';
import { UNDIGESTED_FIELDS, type Report } from './types.js';

/** sha256 of the report's canonical JSON without `digest`, `host` and `timings`. */
export function reportDigest(report: Omit<Report, 'digest'> | Report): Hex32 {
  const covered: Record<string, unknown> = { ...report };
  for (const field of UNDIGESTED_FIELDS) delete covered[field];
  return sha256(canonicalJson(covered));
}
