export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured logs: one JSON object per line, `{ time, level, event, ...fields }`. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const log =
    (at: Exclude<LogLevel, 'silent'>) => (event: string, fields?: Record<string, unknown>) => {
      if (levels[at] < levels[level]) return;
      const entry = { time: new Date().toISOString(), level: at, event, ...fields };
      write(`${JSON.stringify(entry, jsonValue)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const { name, message } = value;
    const details = (value as { details?: unknown }).details;
    return { name, message, ...(details ? { details } : {}) };
  }
  return value;
}
