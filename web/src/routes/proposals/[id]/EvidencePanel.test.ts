// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import { charterErrorsAbi } from '@charter/contracts/abis';
import { describeCharterError, parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { encodeErrorResult, type Hex } from 'viem';

import { describeError } from '$lib/errors';
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
    error: 'PolicyRegistryThresholdNotMet',
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

  it('describes a failing rule with the same number and value as the execute error', () => {
    // What the contract reverts with when v1's f1 (0.716468590831918505) misses rule 1 (index 0).
    const args = [0n, shortNameToBytes32('f1'), 0, parseWad('0.9'), 716468590831918505n, 0n, 2n];
    const revert = encodeErrorResult({
      abi: charterErrorsAbi,
      errorName: 'PolicyRegistryThresholdNotMet',
      args,
    } as never) as Hex;
    const executeError = describeError({ shortMessage: 'reverted', cause: { data: revert } });
    const failing: Evidence = {
      ...evidence,
      // The API's message comes from the same catalogue.
      failure: {
        rule: 0,
        reason: 'threshold',
        error: 'PolicyRegistryThresholdNotMet',
        message: describeCharterError('PolicyRegistryThresholdNotMet', args),
      },
      rules: [
        {
          ...evidence.rules[0]!,
          satisfied: 0,
          met: false,
          results: [
            { ...result(labA, '0', false), value: '716468590831918505' },
            { ...result(labB, '0', false), value: '716468590831918505' },
          ],
        },
      ],
    };
    render(EvidencePanel, { evidence: failing, evaluators: {}, state: 'active' });
    const banner = screen.getByTestId('would-execute').textContent ?? '';
    expect(banner).toContain(executeError);
    expect(executeError).toMatch(/^Rule 1 is not met: f1 must be at least 0\.9; .* is 0\.7165,/);
    expect(banner).not.toMatch(/rule 0|0\.71646/i);

    const card = screen.getByRole('heading', { name: /^Rule 1: spam-detection · f1 ≥ 0\.9$/ });
    const rows = within(card.closest('.rule') as HTMLElement)
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('0.7165'),
      expect.stringContaining('0.7165'),
    ]);
    expect(screen.getByRole('link', { name: 'See Rule 1.' }).getAttribute('href')).toBe('#rule-1');
  });
});
