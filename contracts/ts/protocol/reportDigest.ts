import canonicalize from 'canonicalize';
import { sha256, stringToBytes, type Hex } from 'viem';

// An evaluator report's digest: what its result commits to on-chain. Browser-safe, so the web app checks
// an uploaded report with the same code that wrote it.

/** Report fields that describe the run rather than its outcome, left out of the digest. */
export const UNDIGESTED_REPORT_FIELDS = ['digest', 'host', 'timings'] as const;

/** RFC 8785 (JCS) canonical JSON: sorted keys, no whitespace, ECMAScript number formatting. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** sha256 of the report's canonical JSON without the undigested fields, as 0x-prefixed lowercase hex. */
export function reportDigest(report: object): Hex {
  const covered: Record<string, unknown> = { ...report };
  for (const field of UNDIGESTED_REPORT_FIELDS) delete covered[field];
  return sha256(stringToBytes(canonicalJson(covered)));
}
