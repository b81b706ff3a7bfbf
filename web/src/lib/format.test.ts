import { describe, expect, it } from 'vitest';

import {
  bytes32ToText,
  formatDate,
  formatDuration,
  formatTokens,
  formatUnits18,
  parseMetric,
  percent,
  relativeTime,
} from './format';

describe('format', () => {
  it('formats 18-decimal amounts', () => {
    expect(formatUnits18('1234567890000000000000', 2)).toBe('1,234.57');
    expect(formatTokens('60000000000000000000000')).toBe('60,000 CHR');
    expect(formatTokens('1250000000000000000000000', 'CHR', true)).toBe('1.3M CHR');
    expect(formatUnits18('962042788129744651', 4)).toBe('0.962');
  });

  it('reads decimals back exactly', () => {
    expect(parseMetric('0.9')).toBe(900000000000000000n);
    expect(parseMetric('1')).toBe(10n ** 18n);
    expect(() => parseMetric('abc')).toThrow();
    expect(() => parseMetric('')).toThrow();
  });

  it('formats shares, times and durations the same on server and browser', () => {
    expect(percent(1n, 3n)).toBe('33.3%');
    expect(percent(1n, 0n)).toBe('0%');
    expect(formatDate(0)).toBe('1970-01-01 00:00 UTC');
    expect(formatDuration(86400 * 2 + 3600 * 4)).toBe('2 d 4 h');
    expect(relativeTime(100, 100 + 3600)).toBe('1 h ago');
    expect(relativeTime(100 + 60, 100)).toBe('in 1 min');
  });

  it('turns short names back into text', () => {
    expect(bytes32ToText(`0x${Buffer.from('mail-safety').toString('hex').padEnd(64, '0')}`)).toBe(
      'mail-safety',
    );
    const digest = `0x${'ab'.repeat(32)}`;
    expect(bytes32ToText(digest)).toBe(digest);
  });
});
