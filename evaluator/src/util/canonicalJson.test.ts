import { describe, expect, it } from 'vitest';

import { canonicalJson } from './canonicalJson.js';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units and drops whitespace (RFC 8785)', () => {
    expect(canonicalJson({ b: 1, a: [true, null], é: 'x', A: { z: 0, y: 1 } })).toBe(
      '{"A":{"y":1,"z":0},"a":[true,null],"b":1,"é":"x"}',
    );
  });

  it('formats numbers the ECMAScript way', () => {
    expect(canonicalJson([1.0, 0.1, 1e21, -0])).toBe('[1,0.1,1e+21,0]');
  });
});
