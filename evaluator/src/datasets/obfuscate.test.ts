import { describe, expect, it } from 'vitest';

import { createRng } from '../util/rng.js';
import { obfuscate } from './obfuscate.js';

const text = 'Congratulations winner, claim your free prize today at our website';

describe('obfuscate', () => {
  it('is deterministic for a seed and changes with it', () => {
    const a = obfuscate(text, 'swap', 0.5, createRng('s1'));
    expect(obfuscate(text, 'swap', 0.5, createRng('s1'))).toBe(a);
    expect(obfuscate(text, 'swap', 0.5, createRng('s2'))).not.toBe(a);
  });

  it('rewrites words the four ways spammers do', () => {
    const all = (kind: Parameters<typeof obfuscate>[1]) => obfuscate(text, kind, 1, createRng('x'));
    expect(all('spacing')).toContain('f r e e');
    expect(all('case').toLowerCase()).toBe(text.toLowerCase());
    expect(all('case')).not.toBe(text);
    const swapped = all('swap');
    expect(swapped).not.toBe(text);
    expect(swapped.split(' ').map((w) => [...w].sort().join(''))).toEqual(
      text.split(' ').map((w) => [...w].sort().join('')),
    );
    const homoglyphs = all('homoglyph');
    expect(homoglyphs).toMatch(/[\u0400-\u04ff\u0370-\u03ff]/);
    expect(homoglyphs.length).toBe(text.length);
  });

  it('leaves short words and non-letters alone', () => {
    expect(obfuscate('at 10:30 on', 'spacing', 1, createRng('x'))).toBe('at 10:30 on');
  });
});
