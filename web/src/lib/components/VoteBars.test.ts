// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import VoteBars from './VoteBars.svelte';

const tokens = (n: number) => (BigInt(n) * 10n ** 18n).toString();

afterEach(cleanup);

describe('VoteBars', () => {
  it('shows each side with its share and where the quorum stands', () => {
    render(VoteBars, {
      forVotes: tokens(30_000),
      againstVotes: tokens(10_000),
      abstainVotes: tokens(0),
      quorum: tokens(40_000),
    });
    expect(screen.getByTestId('votes-for').textContent).toContain('30,000 CHR');
    expect(screen.getByTestId('votes-for').textContent).toContain('75.0%');
    expect(screen.getByText(/10.0k CHR to go/)).toBeTruthy();
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-valuenow'))).toEqual(['75', '25', '0']);
  });

  it('says when the quorum is reached (for and abstain count)', () => {
    render(VoteBars, {
      forVotes: tokens(30_000),
      againstVotes: tokens(50_000),
      abstainVotes: tokens(10_000),
      quorum: tokens(40_000),
    });
    expect(screen.getByText('reached')).toBeTruthy();
  });
});
