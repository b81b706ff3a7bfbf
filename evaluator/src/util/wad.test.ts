import { describe, expect, it } from 'vitest';

import { probabilityToWad, WAD } from './wad.js';

describe('probabilityToWad', () => {
  it('records probabilities at 1e-6 resolution', () => {
    expect(probabilityToWad(0.1234564999)).toBe(123_456_000_000_000_000n);
    expect(probabilityToWad(1)).toBe(WAD);
    expect(probabilityToWad(-0.5)).toBe(0n);
    expect(() => probabilityToWad(Number.NaN)).toThrow(/finite/);
  });
});
