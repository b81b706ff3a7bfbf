// Formatting shared by server and browser. Dates are formatted in UTC with fixed patterns, so the server's
// HTML and the browser's hydration agree whatever the locale.

const WAD = 10n ** 18n;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fixed-point decimal string (18 decimals) with at most `places` decimals, trailing zeros dropped. */
export function formatUnits18(value: string | bigint, places = 2): string {
  const raw = BigInt(value);
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  const scale = 10n ** BigInt(18 - places);
  const rounded = (abs + scale / 2n) / scale;
  const whole = rounded / 10n ** BigInt(places);
  const frac = (rounded % 10n ** BigInt(places))
    .toString()
    .padStart(places, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${groupThousands(whole.toString())}${frac ? `.${frac}` : ''}`;
}

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
    return `${formatUnits18(value, 2)} ${symbol}`;
  }
  return `${formatUnits18(value, 2)} ${symbol}`;
}

/** A metric value or threshold (fixed-point, 18 decimals) as a plain number: "0.962". */
export function formatMetric(value: string | bigint, places = 4): string {
  return formatUnits18(value, places);
}

/** A metric value as a float, for charts. */
export function metricToNumber(value: string | bigint): number {
  const raw = BigInt(value);
  return Number(raw / 10n ** 9n) / 1e9;
}

export function parseMetric(text: string): bigint {
  const match = /^\s*(\d*)(?:\.(\d{0,18}))?\s*$/.exec(text);
  if (!match || (match[1] === '' && !match[2])) throw new Error(`not a decimal number: ${text}`);
  return BigInt(match[1] || '0') * WAD + BigInt((match[2] ?? '').padEnd(18, '0') || '0');
}

/** Share of `part` in `whole`, as "12.3%". */
export function percent(part: string | bigint, whole: string | bigint, places = 1): string {
  const w = BigInt(whole);
  if (w === 0n) return '0%';
  const basis = (BigInt(part) * 10n ** BigInt(places + 2)) / w;
  return `${(Number(basis) / 10 ** places).toFixed(places)}%`;
}

export function shortHex(hex: string, head = 6, tail = 4): string {
  return hex.length <= head + tail + 1 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-22 14:05 UTC". */
export function formatDate(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "2 d 4 h", "3 h 20 min", "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** "in 2 d 4 h" or "3 h ago", relative to the chain's `now`. */
export function relativeTime(at: number, now: number): string {
  if (Math.abs(at - now) < 5) return 'just now';
  return at > now ? `in ${formatDuration(at - now)}` : `${formatDuration(now - at)} ago`;
}

/** A short name stored as bytes32 (metric ids, policy ids) back to text; the hex when it is not text. */
export function bytes32ToText(hex: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) return hex;
  const bytes = hex
    .slice(2)
    .match(/../g)!
    .map((b) => parseInt(b, 16));
  const end = bytes.indexOf(0) === -1 ? bytes.length : bytes.indexOf(0);
  const text = bytes.slice(0, end);
  if (text.length === 0 || bytes.slice(end).some((b) => b !== 0)) return hex;
  if (text.some((b) => b < 0x20 || b > 0x7e)) return hex;
  return String.fromCharCode(...text);
}

export const stateLabels: Record<string, string> = {
  pending: 'Pending',
  active: 'Active',
  canceled: 'Canceled',
  defeated: 'Defeated',
  succeeded: 'Succeeded',
  queued: 'Queued',
  expired: 'Expired',
  executed: 'Executed',
};

export const kindLabels: Record<string, string> = {
  'approve-model': 'Approve model',
  'deprecate-model': 'Deprecate model',
  'revoke-model': 'Revoke model',
  'set-policy': 'Set policy',
  'admit-evaluator': 'Admit evaluator',
  'remove-evaluator': 'Remove evaluator',
  'register-suite': 'Register suite',
  'resolve-dispute': 'Resolve dispute',
  governance: 'Governance',
  other: 'Other',
};
