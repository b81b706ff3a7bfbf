// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import type { Evidence } from '$lib/indexer';
import EvidencePanel from './EvidencePanel.svelte';

const wad = (v: string) => (BigInt(Math.round(Number(v) * 1e6)) * 10n ** 12n).toString();
const result = (evaluator: string, value: string, passes: boolean, extra = {}) => ({
  evaluator,
  resultId: `0x${evaluator.slice(2, 6)}:0xabc`,
  value: wad(value),
  submittedAt: 1_700_000_000,
  status: 'valid' as const,
  fresh: true,
  passes,
  reportUri: 'https://reports.example/r.json',
  reportDigest: '0xabc',
  ...extra,
});
const labA = `0x${'a'.repeat(40)}`;
const labB = `0x${'b'.repeat(40)}`;

const evidence: Evidence = {
  modelId: `0x${'12'.repeat(32)}`,
  policyId: `0x${'34'.repeat(32)}`,
  policyName: 'mail-safety',
  policyVersion: 2,
  wouldExecuteNow: false,
  failure: {
    rule: 1,
    reason: 'threshold',
    message: 'Rule 2: false_positive_rate must be at most 0.15.',
  },
  rules: [
    {
      index: 0,
      suiteId: `0x${'56'.repeat(32)}`,
      suiteName: 'spam-detection',
      metric: 'f1',
      comparator: '>=',
      threshold: wad('0.9'),
      required: 2,
      satisfied: 2,
      met: true,
      results: [result(labA, '0.962', true), result(labB, '0.95', true)],
    },
    {
      index: 1,
      suiteId: `0x${'78'.repeat(32)}`,
      suiteName: 'over-blocking',
      metric: 'false_positive_rate',
      comparator: '<=',
      threshold: wad('0.15'),
      required: 2,
      satisfied: 1,
      met: false,
      results: [
        result(labA, '0.11', true),
        result(labB, '0.2', false, { status: 'disputed', fresh: false }),
      ],
    },
  ],
};

afterEach(cleanup);

describe('EvidencePanel', () => {
  it('shows every rule against every evaluator, and why execution would fail', () => {
    render(EvidencePanel, {
      evidence,
      evaluators: { [labA]: 'Lab A', [labB]: 'Lab B' },
      state: 'active',
    });
    expect(screen.getByTestId('would-execute').textContent).toContain('Execution would fail now');
    expect(screen.getByTestId('would-execute').textContent).toContain('must be at most 0.15');

    const rule2 = screen.getByRole('heading', {
      name: /Rule 2: over-blocking · false_positive_rate ≤ 0.15/,
    });
    const table = within(rule2.closest('.rule') as HTMLElement);
    expect(table.getByText('1 of 2 required evaluators', { exact: false })).toBeTruthy();
    const rows = table.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/Lab A.*0\.11.*Pass/),
      expect.stringMatching(/Lab B.*0\.2.*Fail.*Disputed.*Too old/),
    ]);
    expect(screen.getAllByRole('link', { name: 'Report' })[0]?.getAttribute('rel')).toContain(
      'noopener',
    );
  });

  it('says a proposal that executed was accepted, whatever the evidence says now', () => {
    render(EvidencePanel, { evidence, evaluators: {}, state: 'executed' });
    expect(screen.getByTestId('would-execute').textContent).toContain('Executed');
  });
});
