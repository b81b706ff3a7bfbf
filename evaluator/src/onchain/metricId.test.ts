import { describe, expect, it } from 'vitest';

import { metricId } from './metricId.js';

describe('metricId', () => {
  it("is the name as UTF-8, right-padded to bytes32 (viem's stringToHex with size 32)", () => {
    expect(metricId('f1')).toBe(`0x6631${'0'.repeat(60)}`);
    expect(metricId('false_positive_rate')).toMatch(
      /^0x66616c73655f706f7369746976655f72617465(00)+$/,
    );
  });

  it('refuses names that do not fit', () => {
    expect(() => metricId('x'.repeat(32))).toThrow(RangeError);
  });
});
