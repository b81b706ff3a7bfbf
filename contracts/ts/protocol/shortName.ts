import { hexToString, stringToHex, type Hex } from 'viem';

// Metric ids and policy ids are short names: UTF-8 right-padded to bytes32, read back as text.

export class ShortNameError extends Error {
  override name = 'ShortNameError';
}

/** "f1" → 0x6631000…; at most 31 printable ASCII characters, so every reader shows it as text. */
export function shortNameToBytes32(name: string): Hex {
  if (!/^[\x20-\x7e]{1,31}$/.test(name)) {
    throw new ShortNameError(
      `a short name is 1 to 31 printable ASCII characters: ${JSON.stringify(name)}`,
    );
  }
  return stringToHex(name, { size: 32 });
}

/** The text of a short name, or undefined when the bytes are not one. */
export function bytes32ToShortName(id: Hex | string): string | undefined {
  if (!/^0x[0-9a-fA-F]{64}$/.test(id)) return undefined;
  const text = hexToString(id as Hex, { size: 32 }).replace(/\0+$/, '');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/** A bytes32 as people read it: the short name when it is one, otherwise the hex. */
export const bytes32ToText = (id: Hex | string): string => bytes32ToShortName(id) ?? id;
