// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import LineChart from './LineChart.svelte';

afterEach(cleanup);

/** Where each series' markers are drawn, and what they are. */
const drawn = (container: HTMLElement) =>
  [...container.querySelectorAll('g.series')].map((g) => ({
    name: g.getAttribute('data-series'),
    color: g.getAttribute('fill'),
    shapes: [...g.querySelectorAll('g.point > :not(title)')].map((m) => m.tagName.toLowerCase()),
    centres: [...g.querySelectorAll('g.point > circle, g.point > rect, g.point > polygon')].map(
      (m) =>
        m.tagName === 'circle'
          ? `${m.getAttribute('cx')},${m.getAttribute('cy')}`
          : m.tagName === 'rect'
            ? `${Number(m.getAttribute('x')) + Number(m.getAttribute('width')) / 2},${Number(m.getAttribute('y')) + Number(m.getAttribute('height')) / 2}`
            : (m.getAttribute('points') ?? ''),
    ),
  }));

describe('LineChart', () => {
  it('draws a line per evaluator with the threshold, and keeps the data readable as a table', () => {
    const { container } = render(LineChart, {
      title: 'spam-detection · f1',
      series: [
        {
          name: 'Lab A',
          style: 0,
          points: [
            { x: 1_700_000_000, y: 0.95 },
            { x: 1_700_100_000, y: 0.962 },
          ],
        },
        { name: 'Lab B', style: 1, points: [{ x: 1_700_050_000, y: 0.961 }] },
      ],
      threshold: { value: 0.9, label: 'mail-safety: ≥ 0.9' },
    });
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'spam-detection · f1: 3 results over time',
    );
    expect(container.querySelectorAll('g.series > path')).toHaveLength(2);
    expect(container.querySelectorAll('g.point')).toHaveLength(3);
    expect(container.querySelector('line.threshold')).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(4);
  });

  it('keeps each evaluator’s style whatever its place in the list', () => {
    const one = render(LineChart, {
      title: 'a',
      series: [{ name: 'Lab B', style: 1, points: [{ x: 1, y: 0.5 }] }],
    });
    const [b] = drawn(one.container);
    cleanup();
    const two = render(LineChart, {
      title: 'b',
      series: [
        { name: 'Lab A', style: 0, points: [{ x: 1, y: 0.5 }] },
        { name: 'Lab B', style: 1, points: [{ x: 2, y: 0.6 }] },
      ],
    });
    const [a, b2] = drawn(two.container);
    expect(b2!.color).toBe(b!.color);
    expect(b2!.shapes).toEqual(b!.shapes);
    expect(a!.color).not.toBe(b!.color);
    expect(a!.shapes).not.toEqual(b!.shapes);
  });

  it('draws identical results of two evaluators side by side, not one over the other', () => {
    const points = [
      { x: 1_700_000_000, y: 0.9369 },
      { x: 1_700_021_600, y: 0.9369 },
    ];
    const { container } = render(LineChart, {
      title: 'robustness · recall',
      series: [
        { name: 'Northside Evals', style: 0, points },
        { name: 'Open Safety Lab', style: 1, points },
      ],
    });
    const [a, b] = drawn(container);
    expect(a!.centres).toHaveLength(2);
    for (let i = 0; i < 2; i++) expect(a!.centres[i]).not.toBe(b!.centres[i]);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Northside Evals',
      'Open Safety Lab',
    ]);
  });

  it('labels a time axis of close results with distinct times', () => {
    const start = Date.parse('2026-11-30T06:05:00Z') / 1000;
    const { container } = render(LineChart, {
      title: 'f1',
      series: [
        { name: 'Lab A', style: 0, points: [{ x: start, y: 0.9 }] },
        { name: 'Lab B', style: 1, points: [{ x: start + 6 * 3600, y: 0.91 }] },
      ],
    });
    const labels = [...container.querySelectorAll('text.x-label')].map((t) => t.textContent);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('says so when there is nothing to draw', () => {
    render(LineChart, { title: 'recall', series: [] });
    expect(screen.getByText('No results yet.')).toBeTruthy();
  });
});
