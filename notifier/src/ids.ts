import { createHash, randomBytes } from 'node:crypto';

/** A random id with a prefix saying what it names: `sub_…`, `dlv_…`. */
export const randomId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** A deterministic id from parts: the same chain event always gets the same id. */
export const derivedId = (prefix: string, ...parts: (string | number | bigint)[]): string =>
  `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
