import { reportDigest as protocolReportDigest } from '@charter/contracts/protocol';

import type { Hex32 } from '../util/sha256.js';
import type { Report } from './types.js';

/**
 * sha256 of the report's canonical JSON without `digest`, `host` and `timings`: the protocol's
 * `reportDigest`, the one the web app also checks uploaded reports with.
 */
export function reportDigest(report: Omit<Report, 'digest'> | Report): Hex32 {
  return protocolReportDigest(report);
}
