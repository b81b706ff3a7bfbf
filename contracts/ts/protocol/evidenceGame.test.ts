import { expect, it } from 'vitest';

import { countsFrom, disputeLapsesAt, inChallengeWindow, resultStanding } from './evidenceGame';

const game = { challengePeriod: 180, minBond: 10n ** 18n };
const posted = { status: 'valid' as const, submittedAt: 1_000, bond: 10n ** 18n };

it('times a window as the registry does: a result counts from submittedAt + challengePeriod on', () => {
  expect(countsFrom(1_000, 180)).toBe(1_180n);
  expect(inChallengeWindow(1_000, 180, 1_179)).toBe(true);
  expect(inChallengeWindow(1_000, 180, 1_180)).toBe(false);
  expect(resultStanding(posted, game, 1_179)).toBe('in-window');
  expect(resultStanding(posted, game, 1_180)).toBe('counts');
  expect(disputeLapsesAt(5_000n, 604_800)).toBe(609_800n);
});

it('names a result’s standing in the registry’s precedence: struck, disputed, underbonded, in window', () => {
  const underbonded = { ...posted, bond: game.minBond - 1n };
  expect(resultStanding({ ...underbonded, status: 'struck' }, game, 1_000)).toBe('struck');
  expect(resultStanding({ ...underbonded, status: 'disputed' }, game, 1_000)).toBe('disputed');
  expect(resultStanding(underbonded, game, 1_000)).toBe('underbonded');
  expect(resultStanding(underbonded, game, 9_999)).toBe('underbonded');
  expect(resultStanding({ ...posted, bond: game.minBond }, game, 9_999)).toBe('counts');
});
