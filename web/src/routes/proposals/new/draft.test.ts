import { describe as group, expect, it } from 'vitest';

import { describe, DraftError, emptyDraft, toInput, type Names } from './draft';

const model = `0x${'ab'.repeat(32)}` as const;
const policy = `0x${Buffer.from('mail-safety').toString('hex').padEnd(64, '0')}` as const;
const names: Names = {
  models: [
    {
      id: model,
      family: 'mail-guard',
      version: 'v2',
      uri: '',
      parentId: null,
      registrant: `0x${'11'.repeat(20)}`,
      registeredAt: 0,
      status: 'candidate',
      approvedUnder: null,
    },
  ],
  policies: [{ id: policy, name: 'mail-safety', currentVersion: 1, versions: 1 }],
  evaluators: [],
  suites: [{ id: `0x${'cd'.repeat(32)}`, name: 'spam-detection' }],
};

group('proposal drafts', () => {
  it('turns an approval into words', () => {
    const input = toInput({ ...emptyDraft('approve-model', model), policyId: policy });
    expect(describe(input, names)).toBe('Approve mail-guard v2 under policy mail-safety v1');
  });

  it('reads a policy’s rules, thresholds as decimals', () => {
    const draft = emptyDraft('set-policy');
    draft.policyName = 'mail-safety';
    draft.rules = [
      { suiteId: `0x${'cd'.repeat(32)}`, metric: 'f1', comparator: '>=', threshold: '0.9' },
    ];
    const input = toInput(draft);
    expect(input).toMatchObject({
      kind: 'set-policy',
      maxEvidenceAge: 30 * 86400,
      minEvaluators: 2,
    });
    expect(input.kind === 'set-policy' && input.rules[0]!.threshold).toBe(900000000000000000n);
    expect(describe(input, names)).toContain('spam-detection f1 ≥ 0.9');
  });

  it('says what to fix', () => {
    expect(() => toInput(emptyDraft('approve-model'))).toThrow(DraftError);
    const draft = emptyDraft('set-policy');
    draft.policyName = 'p';
    draft.rules[0] = {
      suiteId: `0x${'cd'.repeat(32)}`,
      metric: 'f1',
      comparator: '>=',
      threshold: 'high',
    };
    expect(() => toInput(draft)).toThrow('Rule 1: the threshold must be a decimal number');
    expect(() =>
      toInput({ ...emptyDraft('raw'), target: `0x${'11'.repeat(20)}`, calldata: '0x1' }),
    ).toThrow('whole bytes');
  });

  it('resolves a dispute by the registry’s result id', () => {
    const resultId = `0x${'ef'.repeat(32)}`;
    const input = toInput({
      ...emptyDraft('resolve-dispute'),
      resultId: `${resultId}:0xabc`,
      upheld: 'uphold',
    });
    expect(input).toEqual({ kind: 'resolve-dispute', resultId, upheld: true });
    expect(describe(input, names)).toBe('Uphold the dispute of result 0xefef…efef');
  });
});
