import { describe, expect, it } from 'vitest';

import { formatWad, probabilityToWad, ratioToWad, WAD } from './wad.js';

describe('wad', () => {
  it('turns ratios into exact 18-decimal integers, rounded toward zero', () => {
    expect(ratioToWad(973, 1000)).toBe(973_000_000_000_000_000n);
    expect(ratioToWad(1, 3)).toBe(333_333_333_333_333_333n);
    expect(ratioToWad(5, 5)).toBe(WAD);
    expect(ratioToWad(0, 0)).toBe(0n);
  });

  it('records probabilities at 1e-6 resolution', () => {
    expect(probabilityToWad(0.1234564999)).toBe(123_456_000_000_000_000n);
    expect(probabilityToWad(1)).toBe(WAD);
    expect(() => probabilityToWad(Number.NaN)).toThrow(/finite/);
  });

  it('formats for people', () => {
    expect(formatWad(973_456_000_000_000_000n)).toBe('0.9735');
    expect(formatWad(WAD, 2)).toBe('1.00');
  });
});
