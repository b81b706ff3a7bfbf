const PRINT_WIDTH = 100;

/**
 * JSON laid out the way the repository's formatter (Prettier) lays it out: objects one key per
 * line, arrays of scalars on one line when they fit. A model's digest covers its bytes, so the
 * files the trainer writes must be ones a formatter run over the repository leaves alone.
 */
export function formatJson(value: unknown): string {
  return `${format(value, '', 0)}\n`;
}

function format(value: unknown, indent: string, column: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (column + inline.length + 1 <= PRINT_WIDTH) return inline;
    }
    return `[\n${value.map((v) => inner + format(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, v]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + format(v, inner, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
