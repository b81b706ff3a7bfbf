/** On-chain metric values are unsigned fixed-point numbers with 18 decimals. */
export const WAD = 10n ** 18n;

/** numerator / denominator as a WAD, rounded toward zero; exact, so every host agrees. */
export function ratioToWad(numerator: number, denominator: number): bigint {
  if (denominator === 0) return 0n;
  return (BigInt(numerator) * WAD) / BigInt(denominator);
}

/**
 * A probability as a WAD. Model scores are float32, good to about 7 significant digits, so they
 * are recorded at 1e-6 resolution: finer digits would be float noise, not evidence.
 */
export function probabilityToWad(p: number): bigint {
  if (!Number.isFinite(p)) throw new RangeError(`score is not a finite number: ${p}`);
  const micros = Math.round(Math.min(1, Math.max(0, p)) * 1e6);
  return BigInt(micros) * 10n ** 12n;
}

/** A WAD as a decimal string such as "0.973" (for people; reports keep the integer). */
export function formatWad(value: bigint, digits = 4): string {
  const scale = 10n ** BigInt(18 - digits);
  const rounded = (value + scale / 2n) / scale;
  const whole = rounded / 10n ** BigInt(digits);
  const frac = (rounded % 10n ** BigInt(digits)).toString().padStart(digits, '0');
  return digits === 0 ? whole.toString() : `${whole}.${frac}`;
}
