// Query parameters read from a page's URL, checked before they reach the indexer. The enumerated values
// they are checked against are the protocol's (@charter/contracts/protocol).

export function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Comma-separated values, each from `allowed`. */
export function pickList<T extends string>(value: string | null, allowed: readonly T[]): T[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is T => (allowed as readonly string[]).includes(v));
}

export const text = (value: string | null, max = 200) =>
  (value ?? '').trim().slice(0, max) || undefined;

export const address = (value: string | null) =>
  value && /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : undefined;

export const hex32 = (value: string | null) =>
  value && /^0x[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : undefined;

export const cursor = (value: string | null) => (value ? value.slice(0, 500) : undefined);
