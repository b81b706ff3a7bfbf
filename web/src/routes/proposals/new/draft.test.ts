import { describe as group, expect, it } from 'vitest';

import type { Model } from '$lib/indexer';
import {
  defaultExpiresInDays,
  describe,
  DraftError,
  emptyDraft,
  gameDraftOf,
  proposalProblem,
  toInput,
  type DraftContext,
  type Names,
} from './draft';

const model = `0x${'ab'.repeat(32)}` as const;
const current = `0x${'aa'.repeat(32)}` as const;
const policy = `0x${Buffer.from('mail-safety').toString('hex').padEnd(64, '0')}` as const;
const lax = `0x${Buffer.from('lax').toString('hex').padEnd(64, '0')}` as const;
const version = (id: string, name: string, status: Model['status']): Model =>
  ({
    id,
    family: 'mail-guard',
    version: name,
    uri: '',
    parentId: null,
    registrant: `0x${'11'.repeat(20)}`,
    registeredAt: 0,
    status,
    approvedUnder: null,
  }) as Model;
const models = [version(model, 'v2', 'candidate'), version(current, 'v1', 'approved')];
const policies = [
  { id: policy, name: 'mail-safety', currentVersion: 3, versions: 3 },
  { id: lax, name: 'lax', currentVersion: 1, versions: 1 },
];
const names: Names = {
  models,
  policies,
  evaluators: [],
  suites: [{ id: `0x${'cd'.repeat(32)}`, name: 'spam-detection' }],
};
const DAY = 86400;
const now = Date.UTC(2026, 10, 30, 12) / 1000;
const context: DraftContext = {
  now,
  models,
  families: [{ family: 'mail-guard', policyId: policy, currentVersion: current }],
  policies,
  approvalWindow: 30 * DAY,
  cycle: 8 * DAY,
};
const approval = (expiresInDays = defaultExpiresInDays(context.approvalWindow)) => ({
  ...emptyDraft('approve-model', model),
  expiresInDays,
});

group('approval drafts', () => {
  it('pins the family’s policy at its active version, the current version and the expiry', () => {
    // Even a draft that names another policy gets the family's: the proposer does not choose it.
    const input = toInput({ ...approval(), policyId: lax }, context);
    expect(input).toEqual({
      kind: 'approve-model',
      modelId: model,
      policyId: policy,
      policyVersion: 3,
      expectedCurrent: current,
      expiresAt: now + 30 * DAY,
    });
    expect(describe(input, names)).toBe(
      "Approve mail-guard v2 under policy mail-safety version 3 (the family's), replacing mail-guard v1 as the family's current version; it can execute until 2026-12-30 12:00 UTC",
    );
  });

  it('pins zero as the current version when the family has none', () => {
    // A number input bound with bind:value holds a number, not a string.
    const input = toInput(approval(10 as unknown as string), {
      ...context,
      families: [{ family: 'mail-guard', policyId: policy, currentVersion: null }],
    });
    expect(input).toMatchObject({
      expectedCurrent: `0x${'0'.repeat(64)}`,
      expiresAt: now + 10 * DAY,
    });
    expect(describe(input, names)).toContain('the family has no current version');
  });

  it('refuses a family without a policy, and an expiry before the proposal can execute', () => {
    expect(() =>
      toInput(approval(), {
        ...context,
        families: [{ family: 'mail-guard', policyId: null, currentVersion: null }],
      }),
    ).toThrow("No policy governs mail-guard yet: propose setting the family's policy first.");
    expect(() => toInput(approval('7'), context)).toThrow(
      'The approval would expire before the proposal can execute (2026-12-08 12:00 UTC at the earliest): give it at least 8 d.',
    );
    expect(() => toInput(approval('soon'), context)).toThrow(
      'The approval’s life must be a positive number of days',
    );
  });
});

group('governance settings drafts', () => {
  it('turns each setting into its action and its words', () => {
    const cases = [
      [
        { kind: 'set-family-policy', family: ' mail-guard ', policyId: policy },
        { kind: 'set-family-policy', family: 'mail-guard', policyId: policy },
        'Govern family mail-guard by policy mail-safety',
      ],
      [
        { kind: 'set-maintainer', family: 'mail-guard', account: `0x${'22'.repeat(20)}` },
        { kind: 'set-maintainer', family: 'mail-guard', maintainer: `0x${'22'.repeat(20)}` },
        'Make 0x2222…2222 the maintainer of family mail-guard',
      ],
      [
        { kind: 'lift-suspension', modelId: model },
        { kind: 'lift-suspension', modelId: model },
        'Lift the suspension of mail-guard v2',
      ],
      [
        { kind: 'set-approval-window', durationDays: '21' },
        { kind: 'set-approval-window', seconds: 21 * DAY },
        'Let an approval execute during the last 21 d before its expiry',
      ],
      [
        { kind: 'set-max-suspension', durationDays: '0.5' },
        { kind: 'set-max-suspension', seconds: DAY / 2 },
        'Let a suspension last at most 12 h',
      ],
      [
        { kind: 'set-guardian', account: `0x${'0'.repeat(40)}` },
        { kind: 'set-guardian', guardian: `0x${'0'.repeat(40)}` },
        'Remove the guardian: nobody can cancel proposals or suspend versions',
      ],
      [
        { kind: 'set-guardian-term', termEnd: '2027-06-30' },
        { kind: 'set-guardian-term', termEnd: Date.UTC(2027, 5, 30) / 1000 },
        'Let the guardian act until 2027-06-30 00:00 UTC',
      ],
    ] as const;
    for (const [fields, expected, words] of cases) {
      const input = toInput({ ...emptyDraft(fields.kind), ...fields }, context);
      expect(input).toEqual(expected);
      expect(describe(input, names)).toBe(words);
    }
  });

  it('says what to fix in a setting', () => {
    const draft = (fields: object) => ({ ...emptyDraft('set-approval-window'), ...fields });
    expect(() => toInput(draft({ durationDays: '0' }), context)).toThrow(
      'The approval window must be a positive number of days',
    );
    expect(() => toInput(draft({ kind: 'set-guardian', account: '0x12' }), context)).toThrow(
      'The guardian must be an 0x address.',
    );
    expect(() =>
      toInput(draft({ kind: 'set-guardian-term', termEnd: '2026-01-01' }), context),
    ).toThrow('The term’s end must be after today on the chain.');
    expect(() =>
      toInput(draft({ kind: 'set-family-policy', family: ' ', policyId: policy }), context),
    ).toThrow('The family is required.');
  });

  it('keeps a guardian change alone in its proposal, as the governor requires', () => {
    const guardian = toInput(
      { ...emptyDraft('set-guardian'), account: `0x${'33'.repeat(20)}` },
      context,
    );
    const window = toInput({ ...emptyDraft('set-approval-window'), durationDays: '30' }, context);
    expect(proposalProblem([guardian])).toBeNull();
    expect(proposalProblem([window, window])).toBeNull();
    expect(proposalProblem([window, guardian])).toMatch(
      /^Action 2 changes the guardian or its term: such a proposal must do nothing else/,
    );
  });
});

group('proposal drafts', () => {
  it('reads a policy’s rules, thresholds as decimals', () => {
    const draft = emptyDraft('set-policy');
    draft.policyName = 'mail-safety';
    draft.rules = [
      { suiteId: `0x${'cd'.repeat(32)}`, metric: 'f1', comparator: '>=', threshold: '0.9' },
    ];
    const input = toInput(draft, context);
    expect(input).toMatchObject({
      kind: 'set-policy',
      maxEvidenceAge: 30 * 86400,
      minEvaluators: 2,
    });
    expect(input.kind === 'set-policy' && input.rules[0]!.threshold).toBe(900000000000000000n);
    expect(describe(input, names)).toContain('spam-detection f1 ≥ 0.9');
  });

  it('says what to fix', () => {
    expect(() => toInput(emptyDraft('approve-model'), context)).toThrow(DraftError);
    const draft = emptyDraft('set-policy');
    draft.policyName = 'p';
    draft.rules[0] = {
      suiteId: `0x${'cd'.repeat(32)}`,
      metric: 'f1',
      comparator: '>=',
      threshold: 'high',
    };
    expect(() => toInput(draft, context)).toThrow('Rule 1: the threshold must be a decimal number');
    expect(() =>
      toInput({ ...emptyDraft('raw'), target: `0x${'11'.repeat(20)}`, calldata: '0x1' }, context),
    ).toThrow('whole bytes');
  });

  it('resolves a dispute by its number, and sets the game and the resolver', () => {
    const input = toInput(
      { ...emptyDraft('resolve-dispute'), disputeId: '3', upheld: 'uphold' },
      context,
    );
    expect(input).toEqual({ kind: 'resolve-dispute', disputeId: 3n, upheld: true });
    expect(describe(input, names)).toMatch(/^Uphold dispute #3: strike the result/);
    expect(() => toInput(emptyDraft('resolve-dispute'), context)).toThrow('Choose a dispute');

    const game = gameDraftOf({
      challengePeriod: 3 * 86_400,
      minBond: '1000000000000000000',
      disputeBond: '100000000000000000',
      unbondingDelay: 14 * 86_400,
      resolutionTimeout: 7 * 86_400,
      disputerShareBps: 5000,
    });
    expect(game).toEqual({
      challengePeriodDays: '3',
      minBondEth: '1',
      disputeBondEth: '0.1',
      unbondingDelayDays: '14',
      resolutionTimeoutDays: '7',
      disputerSharePercent: '50',
    });
    const set = toInput(
      { ...emptyDraft('set-game-parameters'), game: { ...game, challengePeriodDays: '0.5' } },
      context,
    );
    expect(set).toEqual({
      kind: 'set-game-parameters',
      parameters: {
        challengePeriod: 43_200,
        minBond: 10n ** 18n,
        disputeBond: 10n ** 17n,
        unbondingDelay: 14 * 86_400,
        resolutionTimeout: 7 * 86_400,
        disputerShareBps: 5000,
      },
    });
    expect(describe(set, names)).toMatch(
      /results count 12 h after .* 1 ETH; a dispute carries 0\.1 ETH/,
    );
    expect(() =>
      toInput(
        { ...emptyDraft('set-game-parameters'), game: { ...game, unbondingDelayDays: '2' } },
        context,
      ),
    ).toThrow('The unbonding delay must be longer than the challenge period');
    expect(() =>
      toInput(
        { ...emptyDraft('set-game-parameters'), game: { ...game, minBondEth: '-1' } },
        context,
      ),
    ).toThrow('The minimum bond must be an amount of ETH');

    const resolver = `0x${'ab'.repeat(20)}`;
    expect(toInput({ ...emptyDraft('set-resolver'), account: resolver }, context)).toEqual({
      kind: 'set-resolver',
      resolver,
    });
  });
});
