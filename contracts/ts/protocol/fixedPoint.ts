// Metric values, thresholds and token amounts are unsigned fixed-point integers with 18 decimals (WAD).

export const WAD = 10n ** 18n;

/** How many decimals people see of a metric value or threshold, everywhere. */
export const METRIC_PLACES = 4;

export class FixedPointError extends Error {
  override name = 'FixedPointError';
}

/** "0.9" → 900000000000000000n. Exact: at most 18 decimals, no sign, no exponent. */
export function parseWad(text: string): bigint {
  const match = /^\s*(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!match || (match[1] === '' && !match[2])) {
    throw new FixedPointError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const fraction = match[2] ?? '';
  if (fraction.length > 18) {
    throw new FixedPointError(`more than 18 decimals: ${JSON.stringify(text)}`);
  }
  return BigInt(match[1] || '0') * WAD + BigInt(fraction.padEnd(18, '0') || '0');
}

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A WAD rounded half up to `places` decimals, trailing zeros dropped, thousands grouped: "0.7165",
 * "1,234.5". The one rule for printing fixed-point numbers.
 */
export function formatWad(value: bigint | string, places = METRIC_PLACES): string {
  const raw = BigInt(value);
  const abs = raw < 0n ? -raw : raw;
  const scale = 10n ** BigInt(18 - places);
  const rounded = (abs + scale / 2n) / scale;
  const unit = 10n ** BigInt(places);
  const fraction = (rounded % unit).toString().padStart(places, '0').replace(/0+$/, '');
  const whole = groupThousands((rounded / unit).toString());
  return `${raw < 0n ? '-' : ''}${whole}${places > 0 && fraction ? `.${fraction}` : ''}`;
}

/** A metric value or threshold as people read it: `formatWad` at `METRIC_PLACES`. */
export const formatMetric = (value: bigint | string): string => formatWad(value, METRIC_PLACES);

/** An amount of the chain's native currency (bonds, in wei) as people read it: "1 ETH", "0.1 ETH". */
export const formatEth = (wei: bigint | string): string => `${formatWad(wei, 6)} ETH`;

/** A WAD as a float, for charts (not for decisions). */
export const wadToNumber = (value: bigint | string): number =>
  Number(BigInt(value) / 10n ** 9n) / 1e9;

/** numerator / denominator as a WAD, rounded toward zero; exact, so every host agrees. 0 when /0. */
export function ratioToWad(numerator: number | bigint, denominator: number | bigint): bigint {
  if (BigInt(denominator) === 0n) return 0n;
  return (BigInt(numerator) * WAD) / BigInt(denominator);
}
