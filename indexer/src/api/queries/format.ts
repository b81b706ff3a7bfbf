import { formatUnits } from 'viem';

/** A fixed-point value with 18 decimals, as people read it: "0.95". */
export const fixed = (value: bigint | string) => formatUnits(BigInt(value), 18);

/** Seconds in the largest whole unit: "2 days", "90 minutes". */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

export const shortHex = (value: string) => `${value.slice(0, 10)}…`;
