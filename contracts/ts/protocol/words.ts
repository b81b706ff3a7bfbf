// How the protocol's values read to people: one rule per kind, shared by the API, the web app and the CLI.

/** "0x1234…abcd". */
export function shortHex(hex: string, head = 6, tail = 4): string {
  return hex.length <= head + tail + 1 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** "2 d 4 h", "3 h 20 min", "45 s". */
export function formatDuration(seconds: number | bigint): string {
  const s = Math.max(0, Math.round(Number(seconds)));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** Policy rules are numbered from 1 wherever people read them; the contracts count from 0. */
export const ruleNumber = (ruleIndex: number | bigint): number => Number(ruleIndex) + 1;
export const ruleLabel = (ruleIndex: number | bigint): string => `Rule ${ruleNumber(ruleIndex)}`;
