import { proposalKinds, proposalStates } from '@charter/contracts/protocol';
import { describe, expect, it } from 'vitest';

import { formatDate, formatTokens, labelOf, percent, relativeTime } from './format';

describe('format', () => {
  it('formats token amounts with the protocol’s fixed-point rule', () => {
    expect(formatTokens('60000000000000000000000')).toBe('60,000 CHR');
    expect(formatTokens('1234567890000000000000', 'VOTE')).toBe('1,234.57 VOTE');
    expect(formatTokens('1250000000000000000000000', 'CHR', true)).toBe('1.3M CHR');
    expect(formatTokens('500000000000000000000', 'CHR', true)).toBe('500 CHR');
  });

  it('formats shares, times and durations the same on server and browser', () => {
    expect(percent(1n, 3n)).toBe('33.3%');
    expect(percent(1n, 0n)).toBe('0%');
    expect(formatDate(0)).toBe('1970-01-01 00:00 UTC');
    expect(relativeTime(100, 100 + 3600)).toBe('1 h ago');
    expect(relativeTime(100 + 60, 100)).toBe('in 1 min');
    expect(relativeTime(100, 102)).toBe('just now');
  });

  it('labels every state and kind of the protocol’s vocabulary', () => {
    expect(proposalStates.map(labelOf)).toContain('Succeeded');
    expect(proposalKinds.map(labelOf)).toContain('Approve model');
    expect(labelOf('resolve-dispute')).toBe('Resolve dispute');
  });
});
