import { describe, expect, it } from 'vitest';

import { formatTime, lastAnswer, logTime } from './deliveryLog';

describe('lastAnswer', () => {
  it('says what the receiver last answered', () => {
    expect(lastAnswer({ status: 'delivered', attempts: 1, lastStatusCode: 200 })).toBe('HTTP 200');
    expect(
      lastAnswer({
        status: 'retrying',
        attempts: 2,
        lastStatusCode: 500,
        lastError: 'Internal Server Error',
      }),
    ).toBe('HTTP 500 · Internal Server Error');
    expect(
      lastAnswer({
        status: 'retrying',
        attempts: 1,
        lastError: 'connect ECONNREFUSED 127.0.0.1:9',
      }),
    ).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(lastAnswer({ status: 'retrying', attempts: 1 })).toBe('No answer');
    expect(lastAnswer({ status: 'pending', attempts: 0 })).toBe('—');
  });
});

describe('formatTime', () => {
  it('writes a unix time to the second, in UTC', () => {
    expect(formatTime(1796069683)).toBe('2026-11-30 20:14:43 UTC');
    expect(formatTime(null)).toBe('—');
  });
});

describe('logTime', () => {
  it('drops the date of a later time on the same day', () => {
    expect(logTime(1796069683)).toBe('2026-11-30 20:14:43');
    expect(logTime(1796069690, 1796069683)).toBe('20:14:50');
    expect(logTime(1796069683 + 86_400, 1796069683)).toBe('2026-12-01 20:14:43');
    expect(logTime(null, 1796069683)).toBe('—');
  });
});
