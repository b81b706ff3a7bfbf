import type { Hex32 } from '../util/sha256.js';

/** A metric's on-chain id: its name as UTF-8, right-padded to bytes32 (viem `stringToHex(name, { size: 32 })`). */
export function metricId(name: string): Hex32 {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > 31)
    throw new RangeError(`metric name must be 1-31 bytes: "${name}"`);
  return `0x${bytes.toString('hex').padEnd(64, '0')}`;
}
