import { describe, expect, it } from 'vitest';

import { describeAction, type DescribableAction, type Names } from './describeAction';

const model = `0x${'11'.repeat(32)}`;
const current = `0x${'33'.repeat(32)}`;
const policy = `0x${Buffer.from('mail-safety').toString('hex').padEnd(64, '0')}`;
const names: Names = {
  models: new Map([
    [model, { family: 'mail-guard', version: 'v2' }],
    [current, { family: 'mail-guard', version: 'v1' }],
  ]),
  policies: new Map([[policy, { name: 'mail-safety', currentVersion: 3 }]]),
  evaluators: new Map([[`0x${'aa'.repeat(20)}`, 'Lab A']]),
  disputes: new Map([['7', { evaluator: 'Lab A', model: 'mail-guard v2', sampleId: 'mail-17' }]]),
  tokenSymbol: 'CHR',
};
const call = (targetName: string, signature: string, args: unknown[]): DescribableAction => ({
  target: `0x${'01'.repeat(20)}`,
  targetName,
  value: 0n,
  calldata: '0x12345678',
  signature,
  args,
});

describe('describeAction', () => {
  it('puts the project contracts’ calls into words', () => {
    const cases: [DescribableAction, string][] = [
      [
        call('modelRegistry', 'approve(bytes32,bytes32,uint256,bytes32,uint48)', [
          model,
          policy,
          '3',
          current,
          1_798_639_200,
        ]),
        'approve mail-guard v2 under policy mail-safety v3, replacing mail-guard v1, ' +
          'executable until 2026-12-30 14:00 UTC',
      ],
      [
        call('modelRegistry', 'approve(bytes32,bytes32,uint256,bytes32,uint48)', [
          model,
          policy,
          '1',
          `0x${'0'.repeat(64)}`,
          1_798_639_200,
        ]),
        'approve mail-guard v2 under policy mail-safety v1, with no current version to replace, ' +
          'executable until 2026-12-30 14:00 UTC',
      ],
      [
        call('modelRegistry', 'setFamilyPolicy(string,bytes32)', ['mail-guard', policy]),
        'govern the family mail-guard by policy mail-safety',
      ],
      [
        call('modelRegistry', 'setMaintainer(string,address)', [
          'mail-guard',
          `0x${'bb'.repeat(20)}`,
        ]),
        `make 0x${'bb'.repeat(20)} the maintainer of the family mail-guard`,
      ],
      [
        call('modelRegistry', 'liftSuspension(bytes32)', [model]),
        'lift the suspension of mail-guard v2',
      ],
      [
        call('modelRegistry', 'setApprovalWindow(uint48)', [30 * 86_400]),
        'let approvals execute in the last 30 d before they expire',
      ],
      [
        call('modelRegistry', 'setMaxSuspension(uint48)', [14 * 86_400]),
        'limit suspensions to 14 d',
      ],
      [
        call('governor', 'setGuardianTerm(uint48)', [1_798_639_200]),
        "end the proposal guardian's term at 2026-12-30 14:00 UTC",
      ],
      [
        call('governor', 'setProposalGuardian(address)', [`0x${'0'.repeat(40)}`]),
        'remove the proposal guardian',
      ],
      [
        call('modelRegistry', 'revoke(bytes32,string)', [model, 'leaks data']),
        'revoke mail-guard v2: leaks data',
      ],
      [
        call(
          'policyRegistry',
          'setPolicy(bytes32,(bytes32,bytes32,uint8,uint96)[],uint8,uint48,string)',
          [policy, [{}, {}], 2, 86_400, ''],
        ),
        'set policy mail-safety: 2 rules, at least 2 evaluators, evidence at most 1 d old',
      ],
      [
        call('evidenceRegistry', 'removeEvaluator(address)', [`0x${'aa'.repeat(20)}`]),
        `remove evaluator Lab A (0x${'aa'.repeat(20)})`,
      ],
      [call('governor', 'setVotingPeriod(uint32)', [432_000]), 'set the voting period to 5 d'],
      [
        call('governor', 'setProposalThreshold(uint256)', ['1000000000000000000000']),
        'set the proposal threshold to 1,000 CHR',
      ],
      [call('timelock', 'updateDelay(uint256)', ['5400']), 'set the timelock delay to 1 h 30 min'],
      [
        call('evidenceRegistry', 'resolveDispute(uint256,bool)', ['7', true]),
        `uphold dispute #7 against Lab A's result for mail-guard v2 (sample "mail-17")`,
      ],
      [call('evidenceRegistry', 'resolveDispute(uint256,bool)', ['8', false]), 'reject dispute #8'],
      [
        call('evidenceRegistry', 'setGameParameters((uint48,uint96,uint96,uint48,uint48,uint16))', [
          {
            challengePeriod: 3 * 86_400,
            minBond: '1000000000000000000',
            disputeBond: '100000000000000000',
            unbondingDelay: 14 * 86_400,
            resolutionTimeout: 7 * 86_400,
            disputerShareBps: 5000,
          },
        ]),
        'set the evidence game: results count 3 d after they are posted, evaluators bond at least ' +
          '1 ETH, a dispute carries 0.1 ETH, unbonding takes 14 d, unresolved disputes are rejected ' +
          'after 7 d, and a disputer proven right gets 50% of the slashed stake',
      ],
      [
        call('evidenceRegistry', 'setResolver(address)', [`0x${'cc'.repeat(20)}`]),
        `let 0x${'cc'.repeat(20)} resolve disputes`,
      ],
      [
        call('evidenceRegistry', 'setResolver(address)', [`0x${'0'.repeat(40)}`]),
        'leave disputes to governance alone (no resolver)',
      ],
    ];
    for (const [action, words] of cases) expect(describeAction(action, names)).toBe(words);
  });

  it('names unknown things by their ids and undecodable calls by their selector', () => {
    const unknown = `0x${'22'.repeat(32)}`;
    expect(describeAction(call('modelRegistry', 'deprecate(bytes32)', [unknown]), names)).toBe(
      'deprecate model 0x2222…2222',
    );
    const raw = { ...call('', '', []), targetName: null, signature: null, args: null };
    expect(describeAction(raw, names)).toBe(`call 0x${'01'.repeat(20)} with 0x12345678`);
  });
});
