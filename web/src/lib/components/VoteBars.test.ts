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
      quorumReached: false,
      quorumShortfall: tokens(10_000),
    });
    expect(screen.getByTestId('votes-for').textContent).toContain('30,000 CHR');
    expect(screen.getByTestId('votes-for').textContent).toContain('75.0%');
    expect(screen.getByTestId('quorum').textContent).toContain('not reached, 10.0k CHR to go');
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual([
      'For votes',
      'Against votes',
      'Abstain votes',
    ]);
    expect(meters.map((m) => m.getAttribute('aria-valuenow'))).toEqual(['75', '25', '0']);
  });

  it('reads the verdict from the API rather than recomputing it', () => {
    // Tallies that add up to the quorum, but the API (the governor's own rule) says not reached.
    render(VoteBars, {
      forVotes: tokens(30_000),
      againstVotes: tokens(0),
      abstainVotes: tokens(10_000),
      quorum: tokens(40_000),
      quorumReached: false,
    });
    expect(screen.getByTestId('quorum').textContent?.trim()).toBe('not reached');
    cleanup();
    render(VoteBars, {
      forVotes: tokens(1),
      againstVotes: tokens(0),
      abstainVotes: tokens(0),
      quorum: tokens(40_000),
      quorumReached: true,
    });
    expect(screen.getByTestId('quorum').textContent?.trim()).toBe('reached');
  });

  it('gives no verdict where the API gave none', () => {
    render(VoteBars, {
      forVotes: tokens(50_000),
      againstVotes: tokens(0),
      abstainVotes: tokens(0),
      quorum: tokens(40_000),
    });
    expect(screen.queryByTestId('quorum')).toBeNull();
    expect(screen.getByText(/Quorum 40,000 CHR/)).toBeTruthy();
  });
});
