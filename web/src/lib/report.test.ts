import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { canonicalJson, readReport, ReportFormatError } from './report';

const fixture = readFileSync(
  new URL('../../tests/fixtures/over-blocking.report.json', import.meta.url),
  'utf8',
);

describe('readReport', () => {
  it('reads a real evaluator report and recomputes its digest', async () => {
    const report = await readReport(fixture);
    expect(report.digestMatches).toBe(true);
    expect(report.modelId).toBe(
      '0xb6a0f65ec9e441c850e9012d1d4f5eff93f8d483943e1bf76cac85d29e2d9f49',
    );
    expect(report.metrics).toEqual([{ id: 'false_positive_rate', value: 111111111111111111n }]);
  });

  it('notices a report edited after it was produced', async () => {
    const edited = fixture.replace('"111111111111111111"', '"011111111111111111"');
    expect((await readReport(edited)).digestMatches).toBe(false);
  });

  it('refuses what is not a report', async () => {
    await expect(readReport('{"format":"other"}')).rejects.toThrow(ReportFormatError);
    await expect(readReport('not json')).rejects.toThrow('not JSON');
  });
});

describe('canonicalJson', () => {
  it('sorts keys and serializes like RFC 8785', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":0.5,"z":1e+21}}',
    );
  });
});
