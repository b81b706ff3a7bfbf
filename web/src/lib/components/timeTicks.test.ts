import { describe, expect, it } from 'vitest';

import { timeTicks } from './timeTicks';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('timeTicks', () => {
  it('gives results a few hours apart distinct times of day, not one date repeated', () => {
    const ticks = timeTicks(at('2026-11-30T09:10:00Z'), at('2026-11-30T15:40:00Z'));
    const labels = ticks.map((t) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(['2026-11-30 12:00', '15:00']);
  });

  it('labels days when the span is days long', () => {
    const labels = timeTicks(at('2026-11-28T08:00:00Z'), at('2026-11-30T20:00:00Z')).map(
      (t) => t.label,
    );
    expect(labels).toEqual(['2026-11-29', '2026-11-30']);
  });

  it('marks a new date where the ticks cross midnight', () => {
    const labels = timeTicks(at('2026-11-29T20:00:00Z'), at('2026-11-30T09:00:00Z')).map(
      (t) => t.label,
    );
    expect(labels).toEqual(['2026-11-30 00:00', '06:00']);
  });

  it('labels both ends of a span shorter than any round step', () => {
    const labels = timeTicks(at('2026-11-30T09:10:05Z'), at('2026-11-30T09:10:40Z')).map(
      (t) => t.label,
    );
    expect(labels).toEqual(['2026-11-30 09:10:05', '09:10:40']);
  });

  it('never gives more ticks than asked for', () => {
    for (const span of [90, 3600, 86400 * 3, 86400 * 40, 86400 * 800]) {
      const ticks = timeTicks(1_700_000_000, 1_700_000_000 + span, 4);
      expect(ticks.length).toBeLessThanOrEqual(4);
      expect(ticks.length).toBeGreaterThanOrEqual(1);
    }
  });
});
