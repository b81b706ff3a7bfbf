import { WAD } from '@charter/contracts/protocol';

// Fixed-point numbers are the protocol's (`@charter/contracts/protocol`); re-exported for the evaluator's
// modules and its library API. Only the score encoding below is the evaluator's own.
export { formatWad, ratioToWad, WAD } from '@charter/contracts/protocol';

/**
 * A probability as a WAD. Model scores are float32, good to about 7 significant digits, so they
 * are recorded at 1e-6 resolution: finer digits would be float noise, not evidence.
 */
export function probabilityToWad(p: number): bigint {
  if (!Number.isFinite(p)) throw new RangeError(`score is not a finite number: ${p}`);
  const micros = Math.round(Math.min(1, Math.max(0, p)) * 1e6);
  return BigInt(micros) * (WAD / 10n ** 6n);
}
