import { describe, expect, it } from 'vitest';

import { formatJson } from './formatJson.js';

describe('formatJson', () => {
  it('expands objects, keeps short scalar arrays inline, and breaks long ones', () => {
    const long = Array.from({ length: 30 }, (_, i) => `item-${i}`);
    expect(formatJson({ a: ['x', 1, null], b: {}, c: [], d: [{ e: true }], f: long })).toBe(
      [
        '{',
        '  "a": ["x", 1, null],',
        '  "b": {},',
        '  "c": [],',
        '  "d": [',
        '    {',
        '      "e": true',
        '    }',
        '  ],',
        '  "f": [',
        ...long.map((v, i) => `    "${v}"${i < long.length - 1 ? ',' : ''}`),
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });
});
