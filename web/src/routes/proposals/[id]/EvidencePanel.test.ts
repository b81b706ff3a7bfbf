// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';

import { charterErrorsAbi } from '@charter/contracts/abis';
import { describeCharterError, parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { encodeErrorResult, type Hex } from 'viem';

import { describeError } from '$lib/errors';
import type { Dispute, Evidence } from '$lib/indexer';
import { wallet } from '$lib/wallet/state.svelte';
import EvidencePanel from './EvidencePanel.svelte';

const wad = (v: string) => (BigInt(Math.round(Number(v) * 1e6)) * 10n ** 12n).toString();
const result = (evaluator: string, value: string, passes: boolean, extra = {}) => ({
  evaluator,
  resultId: `0x${evaluator.slice(2, 6)}:0xabc`,
  value: wad(value),
  submittedAt: 1_700_000_000,
  status: 'valid' as const,
  countsFrom: 1_700_000_000 + 3 * 86_400,
  standing: 'counts' as const,
  bond: '1000000000000000000',
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
        result(labB, '0.2', false, { status: 'disputed', standing: 'disputed', fresh: false }),
      ],
    },
  ],
};

/** The chain's time the page was read at: every result's window has passed. */
const now = 1_700_000_000 + 10 * 86_400;
const game = {
  disputes: {},
  now,
  evidenceRegistry: `0x${'e'.repeat(40)}`,
  disputeBond: '100000000000000000',
  minBond: '1000000000000000000',
  resolver: null,
};

afterEach(() => {
  cleanup();
  wallet.account = null;
});

describe('EvidencePanel', () => {
  it('shows every rule against every evaluator, and why execution would fail', () => {
    render(EvidencePanel, {
      evidence,
      evaluators: { [labA]: 'Lab A', [labB]: 'Lab B' },
      state: 'active',
      ...game,
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
      expect.stringMatching(/Lab A.*0\.11.*Pass.*Counts.*Counted since.*1 ETH/),
      expect.stringMatching(/Lab B.*0\.2.*Fail.*Disputed.*Too old/),
    ]);
    expect(screen.getAllByRole('link', { name: 'Report' })[0]?.getAttribute('rel')).toContain(
      'noopener',
    );
  });

  it('says a proposal that executed was accepted, whatever the evidence says now', () => {
    render(EvidencePanel, { evidence, evaluators: {}, state: 'executed', ...game });
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
    render(EvidencePanel, { evidence: failing, evaluators: {}, state: 'active', ...game });
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

  it('shows a result in its window with its countdown, distinct from missing, and a dispute form', () => {
    const submittedAt = now - 3600;
    const inWindow: Evidence = {
      ...evidence,
      failure: {
        rule: 0,
        reason: 'in-window',
        error: 'PolicyRegistryEvidenceInChallengeWindow',
        message: 'Rule 1: a result is still in its challenge window.',
        countsFrom: submittedAt + 7200,
      },
      rules: [
        {
          ...evidence.rules[0]!,
          results: [
            result(labA, '0.962', true, {
              submittedAt,
              countsFrom: submittedAt + 7200,
              standing: 'in-window',
            }),
          ],
        },
      ],
    };
    render(EvidencePanel, { evidence: inWindow, evaluators: {}, state: 'active', ...game });
    const row = screen.getByTestId('result-row');
    expect(within(row).getByTestId('standing').textContent).toBe('In window');
    expect(within(row).getByTestId('window').textContent).toMatch(/Counts from .* \(in 1 h\)/);
    expect(within(row).getByRole('button', { name: 'Dispute' })).toBeTruthy();
    expect(screen.getByTestId('failure-counts-from').textContent?.trim()).toBe('(in 1 h)');
  });

  it('shows a dispute with the committed and the claimed outcome side by side, and resolve buttons for the resolver', () => {
    const resolver = `0x${'c'.repeat(40)}`;
    const disputed = result(labB, '0.2', false, { status: 'disputed', standing: 'disputed' });
    const dispute: Dispute = {
      id: 7,
      // The API's name of a result version, as the evidence lists it: "<registry id>:<report digest>".
      result: disputed.resultId,
      resultId: disputed.resultId.split(':')[0]!,
      reportDigest: disputed.reportDigest,
      modelId: evidence.modelId,
      suiteId: evidence.rules[0]!.suiteId,
      evaluator: labB,
      disputer: labA,
      bond: '100000000000000000',
      sample: { id: 'spam-7', label: '1', prediction: '0', score: '250000000000000000' },
      claim: {
        prediction: '1',
        score: '910000000000000000',
        reportDigest: `0x${'d'.repeat(64)}`,
        uri: 'https://reports.example/mine.json',
      },
      openedAt: now - 60,
      lapsesAt: now + 86_400,
      lapsable: false,
      status: 'open',
      resolution: null,
      resolvedAt: null,
      payout: null,
      block: 10,
      tx: `0x${'1'.repeat(64)}`,
      resolvedTx: null,
    };
    wallet.account = resolver as `0x${string}`;
    render(EvidencePanel, {
      evidence: { ...evidence, rules: [{ ...evidence.rules[0]!, results: [disputed] }] },
      evaluators: { [labA]: 'Lab A', [labB]: 'Lab B' },
      state: 'active',
      ...game,
      resolver,
      disputes: { [dispute.result]: [dispute] },
    });
    const card = screen.getByTestId('dispute');
    expect(card.textContent).toMatch(/Dispute #7 of sample spam-7 by Lab A/);
    const committed = within(card).getByTestId('committed').textContent?.replace(/\s+/g, ' ');
    const claimed = within(card).getByTestId('claimed').textContent?.replace(/\s+/g, ' ');
    expect(committed).toMatch(/Committed by Lab B.*Prediction 0 Score 0\.25/);
    expect(claimed).toMatch(/Claimed by Lab A.*Prediction 1 Score 0\.91/);
    expect(
      within(card)
        .getByRole('link', { name: /0xdddd/ })
        .getAttribute('href'),
    ).toBe('https://reports.example/mine.json');
    expect(within(card).getByRole('button', { name: /^Uphold/ })).toBeTruthy();
    expect(within(card).getByRole('button', { name: /^Reject/ })).toBeTruthy();

    // Anyone else sees the dispute but no resolve buttons.
    wallet.account = labA as `0x${string}`;
    flushSync();
    expect(within(card).queryByRole('button', { name: /^Uphold/ })).toBeNull();
  });
});
