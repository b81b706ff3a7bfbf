// Presentation that is the web app's own, built on the protocol's formatting (@charter/contracts/protocol):
// token amounts with their symbol, shares, dates and the labels of enumerated values. Dates are formatted in
// UTC with fixed patterns, so the server's HTML and the browser's hydration agree whatever the locale.
import {
  formatDuration,
  formatWad,
  voteSupports,
  type Comparator,
  type VoteSupport,
} from '@charter/contracts/protocol';

/** How many decimals of a token amount people see. */
const TOKEN_PLACES = 2;

/** Token amounts: "12,345.6 CHR", or compact "1.2M CHR". */
export function formatTokens(value: string | bigint, symbol = 'CHR', compact = false): string {
  if (compact) {
    const n = Number(BigInt(value) / 10n ** 12n) / 1e6;
    for (const [limit, suffix] of [
      [1e9, 'B'],
      [1e6, 'M'],
      [1e3, 'k'],
    ] as const) {
      if (n >= limit) return `${(n / limit).toFixed(n / limit >= 100 ? 0 : 1)}${suffix} ${symbol}`;
    }
  }
  return `${formatWad(value, TOKEN_PLACES)} ${symbol}`;
}

/** Share of `part` in `whole`, as "12.3%". */
export function percent(part: string | bigint, whole: string | bigint, places = 1): string {
  const w = BigInt(whole);
  if (w === 0n) return '0%';
  const basis = (BigInt(part) * 10n ** BigInt(places + 2)) / w;
  return `${(Number(basis) / 10 ** places).toFixed(places)}%`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-22 14:05 UTC". */
export function formatDate(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "in 2 d 4 h" or "3 h ago", relative to the chain's `now`. */
export function relativeTime(at: number, now: number): string {
  if (Math.abs(at - now) < 5) return 'just now';
  return at > now ? `in ${formatDuration(at - now)}` : `${formatDuration(now - at)} ago`;
}

/**
 * An enumerated value as a label: "approve-model" → "Approve model", "active" → "Active". The values
 * themselves come from the protocol's vocabulary; only their look is the web app's.
 */
export const labelOf = (value: string): string => {
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A rule's comparator as people read it in a formula: "f1 ≥ 0.9". */
export const comparatorSymbol: Record<Comparator, string> = { '>=': '≥', '<=': '≤' };

/** The governor's vote choices as people list them: for first, then against and abstain. */
export const supportsInDisplayOrder: readonly VoteSupport[] = voteSupports.toSorted(
  (a, b) => Number(b === 'for') - Number(a === 'for'),
);

/**
 * Text someone else wrote, wrapped in Unicode's first-strong isolate (U+2068 … U+2069), for the places
 * `<bdi>` cannot go (the document title, `<option>`, attributes): a right-to-left override or embedding
 * inside it cannot reorder anything around it.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/** Time left for a live countdown: to the second under an hour ("1 min 05 s"), else `formatDuration`. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s >= 3600) return formatDuration(s);
  const m = Math.floor(s / 60);
  return m ? `${m} min ${pad(s % 60)} s` : `${s} s`;
}
