import { createHash } from 'node:crypto';

/** A bytes32 digest as 0x-prefixed lowercase hex, the form used on-chain and in reports. */
export type Hex32 = `0x${string}`;

export function sha256(data: string | Uint8Array): Hex32 {
  return `0x${createHash('sha256').update(data).digest('hex')}`;
}

export function isHex32(value: unknown): value is Hex32 {
  return typeof value === 'string' && /^0x[0-9a-f]{64}$/.test(value);
}
