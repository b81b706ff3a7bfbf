import { WAD } from '@charter/contracts/protocol';

/**
 * A classifier's outcome for one sample, from the probability of the suite's positive class:
 * the score rounded to `decimals` places (as a WAD), and the prediction read from that rounded
 * score (positive above one half). Deriving both from the rounded value makes them agree in every
 * leaf, and means two devices whose probabilities differ by float noise give the same outcome
 * unless the noise crosses a rounding step; `verify` tells those apart from real differences.
 */
export function scoreOutcome(
  probability: number,
  decimals: number,
): { prediction: 0 | 1; score: bigint } {
  if (!Number.isFinite(probability))
    throw new RangeError(`score is not a finite number: ${probability}`);
  const scale = 10 ** decimals;
  const units = Math.round(Math.min(1, Math.max(0, probability)) * scale);
  return {
    prediction: units * 2 > scale ? 1 : 0,
    score: BigInt(units) * (WAD / 10n ** BigInt(decimals)),
  };
}

/** The WAD size of one step of a score rounded to `decimals` places. */
export function scoreStep(decimals: number): bigint {
  return WAD / 10n ** BigInt(decimals);
}
