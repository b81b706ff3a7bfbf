import { Standing, type ResultStatus } from './vocabulary';

// The evidence game's timing and standing rules, as `EvidenceRegistry` applies them: one copy for the
// indexer, the web app and the evaluator, so that a countdown or a "does not count" reads as the chain decides.

/** `EvidenceRegistry.GameParameters`: seconds and wei, as the contract stores them. */
export interface GameParameters {
  /** Seconds a result waits after it is posted before it counts. */
  challengePeriod: number;
  /** Wei an evaluator must have bonded (active, not unbonding) for its results to count. */
  minBond: bigint;
  /** Wei a dispute must carry, exactly. */
  disputeBond: bigint;
  /** Seconds between `unbond` and `withdrawBond`; longer than the challenge period. */
  unbondingDelay: number;
  /** Seconds after a dispute opens when anyone may resolve it by default (rejected). */
  resolutionTimeout: number;
  /** Share of a slashed stake paid to the disputer, in basis points (at most 10,000). */
  disputerShareBps: number;
}

/** What of the game parameters decides whether a result counts. */
export type StandingParameters = Pick<GameParameters, 'challengePeriod' | 'minBond'>;

type Seconds = number | bigint;

/**
 * When a result posted at `submittedAt` starts to count (`EvidenceRegistry.countsFrom`): the end of its
 * challenge window, measured with the current challenge period (governance changing it re-times open windows).
 */
export const countsFrom = (submittedAt: Seconds, challengePeriod: Seconds): bigint =>
  BigInt(submittedAt) + BigInt(challengePeriod);

/** Whether a result posted at `submittedAt` is still inside its challenge window at `now` (disputable). */
export const inChallengeWindow = (
  submittedAt: Seconds,
  challengePeriod: Seconds,
  now: Seconds,
): boolean => BigInt(now) < countsFrom(submittedAt, challengePeriod);

/** When anyone may resolve a dispute opened at `openedAt` by default (`resolveLapsedDispute`). */
export const disputeLapsesAt = (openedAt: Seconds, resolutionTimeout: Seconds): bigint =>
  BigInt(openedAt) + BigInt(resolutionTimeout);

/** A posted result as its standing depends on it. */
export interface StandingInput {
  status: ResultStatus;
  /** Unix seconds. */
  submittedAt: Seconds;
  /** The evaluator's active bond, in wei (unbonding stake does not count). */
  bond: bigint;
}

/**
 * A result's standing at `now`, in the contract's precedence (`EvidenceRegistry.evidenceFor`): struck,
 * then disputed, then underbonded, then inside its window; otherwise it counts.
 */
export function resultStanding(
  result: StandingInput,
  game: StandingParameters,
  now: Seconds,
): Standing {
  if (result.status === 'struck') return Standing.struck;
  if (result.status === 'disputed') return Standing.disputed;
  if (result.bond < game.minBond) return Standing.underbonded;
  if (inChallengeWindow(result.submittedAt, game.challengePeriod, now))
    return Standing['in-window'];
  return Standing.counts;
}
