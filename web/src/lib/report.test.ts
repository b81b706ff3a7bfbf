import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { readReport, ReportFormatError } from './report';

const fixture = readFileSync(
  new URL('../../tests/fixtures/over-blocking.report.json', import.meta.url),
  'utf8',
);

describe('readReport', () => {
  it('reads a real evaluator report and recomputes its digest', () => {
    const report = readReport(fixture);
    expect(report.digestMatches).toBe(true);
    expect(report.modelId).toBe(
      '0xb6a0f65ec9e441c850e9012d1d4f5eff93f8d483943e1bf76cac85d29e2d9f49',
    );
    expect(report.metrics).toEqual([{ id: 'false_positive_rate', value: 111111111111111111n }]);
  });

  it('notices a report edited after it was produced', () => {
    const edited = fixture.replace('"111111111111111111"', '"011111111111111111"');
    expect(readReport(edited).digestMatches).toBe(false);
  });

  it('refuses what is not a report', () => {
    expect(() => readReport('{"format":"other"}')).toThrow(ReportFormatError);
    expect(() => readReport('not json')).toThrow('not JSON');
  });
});
