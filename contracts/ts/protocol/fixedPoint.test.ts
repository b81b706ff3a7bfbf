import { describe, expect, it } from 'vitest';

import { formatMetric, formatWad, parseWad, ratioToWad, WAD, wadToNumber } from './fixedPoint';

describe('fixed point', () => {
  it('parses decimals exactly', () => {
    expect(parseWad('0.9')).toBe((9n * WAD) / 10n);
    expect(parseWad('1')).toBe(WAD);
    expect(parseWad('.5')).toBe(WAD / 2n);
    expect(parseWad('0.000000000000000001')).toBe(1n);
  });

  it('refuses what is not a plain decimal, naming it', () => {
    for (const bad of ['', '-1', '1e3', 'abc', '0.1.2', '0.0000000000000000001']) {
      expect(() => parseWad(bad)).toThrow(JSON.stringify(bad));
    }
  });

  it('prints with one rule: rounded half up, trailing zeros dropped, thousands grouped', () => {
    expect(formatMetric(716468590831918505n)).toBe('0.7165');
    expect(formatMetric(parseWad('0.9'))).toBe('0.9');
    expect(formatMetric(WAD)).toBe('1');
    expect(formatWad(1234567890000000000000n, 2)).toBe('1,234.57');
    expect(formatWad(99995n * 10n ** 13n)).toBe('1');
    expect(formatWad(-WAD / 2n, 1)).toBe('-0.5');
  });

  it('divides exactly, and to zero for an empty denominator', () => {
    expect(ratioToWad(1, 3)).toBe(333333333333333333n);
    expect(ratioToWad(5, 0)).toBe(0n);
    expect(wadToNumber(WAD / 4n)).toBe(0.25);
  });
});
