// A delivery as the log shows it: its status as a badge, the receiver's last answer, its times.

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'retrying';

export interface DeliveryRow {
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode?: number | null;
  lastError?: string | null;
}

/** The app.css badge each status wears. */
export const statusBadge: Record<DeliveryStatus, 'ok' | 'bad' | 'warn' | 'info'> = {
  delivered: 'ok',
  failed: 'bad',
  retrying: 'warn',
  pending: 'info',
};

/** What the receiver last said: "HTTP 200", "HTTP 500 · Internal error", a connection error, or "—". */
export function lastAnswer({ lastStatusCode, lastError, attempts }: DeliveryRow): string {
  const parts = [
    lastStatusCode ? `HTTP ${lastStatusCode}` : '',
    lastError && lastError !== String(lastStatusCode) ? lastError : '',
  ].filter(Boolean);
  if (parts.length) return parts.join(' · ');
  return attempts ? 'No answer' : '—';
}

const pad = (n: number) => String(n).padStart(2, '0');

const utcDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utcClock = (d: Date) =>
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** "2026-11-30 20:14:43 UTC": to the second, since retries come seconds apart; in UTC like the app's other dates. */
export function formatTime(unix: number | null | undefined): string {
  if (unix === null || unix === undefined || !Number.isFinite(unix)) return '—';
  const d = new Date(unix * 1000);
  return `${utcDate(d)} ${utcClock(d)} UTC`;
}

/**
 * A time in the log's UTC columns: "2026-11-30 20:14:43", or only "20:14:45" when it falls on the same
 * day as `after` (a delivery's later times beside its creation), so the table stays narrow.
 */
export function logTime(unix: number | null | undefined, after?: number | null): string {
  if (unix === null || unix === undefined || !Number.isFinite(unix)) return '—';
  const d = new Date(unix * 1000);
  const sameDay =
    after !== null && after !== undefined && utcDate(new Date(after * 1000)) === utcDate(d);
  return sameDay ? utcClock(d) : `${utcDate(d)} ${utcClock(d)}`;
}
