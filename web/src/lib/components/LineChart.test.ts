// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import LineChart from './LineChart.svelte';

afterEach(cleanup);

describe('LineChart', () => {
  it('draws a line per evaluator with the threshold, and keeps the data readable as a table', () => {
    const { container } = render(LineChart, {
      title: 'spam-detection · f1',
      series: [
        {
          name: 'Lab A',
          points: [
            { x: 1_700_000_000, y: 0.95 },
            { x: 1_700_100_000, y: 0.962 },
          ],
        },
        { name: 'Lab B', points: [{ x: 1_700_050_000, y: 0.961 }] },
      ],
      threshold: { value: 0.9, label: 'mail-safety: ≥ 0.9' },
    });
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'spam-detection · f1: 3 results over time',
    );
    expect(container.querySelectorAll('path')).toHaveLength(2);
    expect(container.querySelectorAll('circle')).toHaveLength(3);
    expect(container.querySelector('line.threshold')).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(4);
  });

  it('says so when there is nothing to draw', () => {
    render(LineChart, { title: 'recall', series: [] });
    expect(screen.getByText('No results yet.')).toBeTruthy();
  });
});
