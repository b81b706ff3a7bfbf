import type { ObfuscationKind } from '../suites/types.js';
import type { Rng } from '../util/rng.js';

/** Latin letters and the Cyrillic or Greek letters that render the same. */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  i: '\u0456',
  j: '\u0458',
  o: '\u043e',
  p: '\u0440',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
  A: '\u0391',
  B: '\u0392',
  C: '\u0421',
  E: '\u0395',
  H: '\u0397',
  I: '\u0399',
  K: '\u039a',
  M: '\u039c',
  N: '\u039d',
  O: '\u039f',
  P: '\u03a1',
  T: '\u03a4',
  X: '\u03a7',
  Y: '\u03a5',
};

/**
 * Rewrites a share (`rate`) of the words of three letters or more the way spammers dodge
 * filters. Deterministic: the same text, kind and rng stream give the same output.
 * - swap: two adjacent inner letters change places ("viagra" -> "vigara")
 * - spacing: letters are spaced out ("f r e e")
 * - case: each letter's case is flipped at random ("wInNeR")
 * - homoglyph: letters are replaced, each with probability 1/2, by look-alikes from other scripts
 */
export function obfuscate(text: string, kind: ObfuscationKind, rate: number, rng: Rng): string {
  return text.replace(/\p{L}{3,}/gu, (word) => (rng() < rate ? REWRITE[kind](word, rng) : word));
}

const REWRITE: Record<ObfuscationKind, (word: string, rng: Rng) => string> = {
  swap(word, rng) {
    const chars = [...word];
    const i = chars.length <= 3 ? 1 : 1 + Math.floor(rng() * (chars.length - 3));
    [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
    return chars.join('');
  },
  spacing: (word) => [...word].join(' '),
  case: (word, rng) =>
    [...word].map((c) => (rng() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join(''),
  homoglyph: (word, rng) =>
    [...word].map((c) => (HOMOGLYPHS[c] !== undefined && rng() < 0.5 ? HOMOGLYPHS[c] : c)).join(''),
};
