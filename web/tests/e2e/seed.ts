// A demo DAO on a fresh deployment, with the evaluator's real suites, models and metric values
// (evaluator/README.md): holders and delegates, three suites, two evaluators, mail-guard v1 and v2
// registered by erin (so erin maintains the family), the mail-safety policy in two versions governing
// mail-guard, results, and three proposals — one to approve v2 (pending, pinned to mail-safety's active
// version, no current version and a 30-day expiry), one to revoke v1 (active, with votes), and one whose
// description holds XSS payloads (pending). Each anvil account plays the part its dev-account name says
// (`devAccountNames`, as `npm start` and the dev-account picker name them): alice, bob, carol, dave and
// erin hold tokens, evaluator one and two evaluate, and the security council is the guardian
// (`stack.ts` deploys with it) and resolves disputes. Both evaluators bond the registry's minimum, and the
// clock passes the challenge window after their results, so that the results count.
import type { DevChain } from '@charter/contracts';
import {
  action,
  anvilPrivateKey,
  approvalAction,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from '@charter/contracts';
import { devAccountNames, type DevAccountName } from '@charter/contracts/dev-accounts';
import { keccak256, parseEther, stringToHex, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { xssDescription } from '../xssPayloads';

const key = (i: number) => anvilPrivateKey(i);
const dev = (name: DevAccountName) => devAccountNames.indexOf(name);
const [deployer, alice, bob, carol, dave, erin] = (
  ['deployer', 'alice', 'bob', 'carol', 'dave', 'erin'] as const
).map(dev) as [number, number, number, number, number, number];
const addr = (i: number) => privateKeyToAccount(key(i)).address;
const name32 = (name: string) => stringToHex(name, { size: 32 });
const wad = (value: string) => parseEther(value);
const zero = `0x${'0'.repeat(64)}` as Hex;

export const suites = {
  spamDetection: {
    id: '0x45804ca5205003754e004dbcc501cf6a23a433ce0153dd67b039f92e73a70940',
    datasetDigest: '0xd94e8d2596cdb900ab90f2ecf46b5ea1ec422d5a5b817ab877b4b77b656ebc65',
    metrics: ['accuracy', 'precision', 'recall', 'f1'],
    uri: 'evaluator/suites/spam-detection.json',
  },
  overBlocking: {
    id: '0x17641825eb07d5fdca7c1f5677f59932dbac8fd348adb84ba37d5a6c0cab3be5',
    datasetDigest: '0x36b4f0bed2d8120672d972f79874e4857e49db22fccd359cd60a5b1ae6bb94ab',
    metrics: ['false_positive_rate'],
    uri: 'evaluator/suites/over-blocking.json',
  },
  robustness: {
    id: '0x29d39091e262ddf743186941c1fbf6a0938816ced2b151d672516728a20c10fd',
    datasetDigest: '0xf8c9fd20adc5ebec05a5e215bc3820a15b74717446913a9400497282895336d4',
    metrics: ['recall'],
    uri: 'evaluator/suites/robustness.json',
  },
} as const;

export const models = {
  v1: '0x2ff0aa4098fdd2914f54e7cb4d72dafee4dd8f39aa78023cc8e8013a7cc8c290',
  v2: '0xb6a0f65ec9e441c850e9012d1d4f5eff93f8d483943e1bf76cac85d29e2d9f49',
} as const;

/** Metric values per model and suite, from the evaluator's runs (as 18-decimal strings). */
const values = {
  v1: {
    spamDetection: ['0.8545', '0.9746', '0.5664', '0.7165'],
    overBlocking: ['0.4444'],
    robustness: ['0.5154'],
  },
  v2: {
    spamDetection: [
      '0.976045296167247386',
      '0.990056818181818181',
      '0.935570469798657718',
      '0.962042788129744651',
    ],
    overBlocking: ['0.111111111111111111'],
    robustness: ['0.9369'],
  },
} as const;

const realDigests: Record<string, Hex> = {
  'v2/spamDetection': '0xec429b5526125a273914b9ca4ebab37d081af8a92f6ba81edf8bfa4409ed1ef0',
  'v2/overBlocking': '0x9dd3bffbe6e022a2b227d4ca2b3eda71789785c0a0193e9b359f8a6458c0c0b5',
};

/** The proposal guardian the stack deploys with: it may suspend an approved version at once. */
export const guardian = dev('security council');

export const evaluators = [
  { index: dev('evaluator one'), name: 'Northside Evals' },
  { index: dev('evaluator two'), name: 'Open Safety Lab' },
];

export const approveDescription = `# Approve mail-guard v2

mail-guard v2 is the second version of the spam filter: a fastText-style classifier with a larger
vocabulary, trained on the training side of the SpamAssassin split, with look-alike letters folded.

## Evidence

Two independent evaluators ran the three bundled suites:

| Suite | Metric | v2 | Policy |
| --- | --- | --- | --- |
| spam-detection | f1 | **0.962** | ≥ 0.90 |
| over-blocking | false positive rate | **0.111** | ≤ 0.15 |
| robustness | recall | **0.937** | ≥ 0.85 |

Reports reproduce with \`charter-eval verify\`. See the evidence panel below: the contracts check it again
when this executes.
`;

const revokeDescription = `# Revoke mail-guard v1

v1 misses **43%** of spam on the held-out set and blocks 44% of hard ham. It was never approved; revoking
it says plainly that it must not be used. Revocation is final.
`;

async function submit(
  chain: DevChain,
  evaluator: number,
  model: 'v1' | 'v2',
  suite: keyof typeof suites,
  report?: string,
) {
  const s = suites[suite];
  // The first evaluator posts the real reports' digests, the second its own runs: 5-evidence.e2e.ts uploads
  // the real over-blocking report as the second evaluator.
  const digest =
    (evaluator === evaluators[0]!.index ? realDigests[`${model}/${suite}`] : undefined) ??
    keccak256(toHex(report ?? `${evaluator}/${model}/${suite}`));
  const modelValues = values[model][suite];
  const [metricValues, uriDigest] = report
    ? [modelValues.map((v) => wad((Number(v) * 0.985).toFixed(4))), keccak256(toHex(report))]
    : [modelValues.map((v) => wad(v)), digest];
  await chain.confirm(
    chain.wallet(key(evaluator)).writeContract({
      address: chain.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [
        {
          modelId: models[model],
          suiteId: s.id,
          metricIds: s.metrics.map(name32),
          values: metricValues,
          reportDigest: uriDigest,
          samplesRoot: keccak256(toHex(`samples of ${uriDigest}`)),
          uri: `https://reports.charter.example/${uriDigest}.json`,
        },
      ],
    }),
  );
}

export async function seed(chain: DevChain) {
  const { token, timelock, evidenceRegistry, policyRegistry, modelRegistry } =
    chain.deployment.contracts;

  // Holders: a treasury in the timelock, two delegates with delegators, and dave (the tests' user)
  // holding tokens it has not delegated yet.
  const transfer = (to: `0x${string}`, amount: string) =>
    chain.confirm(
      chain.wallet(key(deployer)).writeContract({
        address: token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [to, wad(amount)],
      }),
    );
  await transfer(timelock, '600000');
  await chain.fund(key(deployer), key(alice), wad('120000'));
  await chain.fund(key(deployer), key(bob), wad('40000'), addr(alice));
  await chain.fund(key(deployer), key(carol), wad('30000'));
  await chain.fund(key(deployer), key(erin), wad('20000'), addr(carol));
  await chain.fund(key(deployer), key(deployer), 0n);
  await transfer(addr(dave), '60000');

  const s = Object.values(suites);
  await chain.govern(
    key(deployer),
    [key(deployer), key(alice)],
    [
      ...s.map((suite) =>
        action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
          suite.id,
          suite.datasetDigest,
          suite.metrics.map(name32),
          suite.uri,
        ]),
      ),
      ...evaluators.map((e) =>
        action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [addr(e.index), e.name]),
      ),
    ],
    '# Register the spam suites and admit two evaluators\n\nSpamAssassin-based suites from the evaluator package; Northside Evals and Open Safety Lab as the first evaluators.',
  );
  for (const e of evaluators) await chain.bond(key(e.index));

  // erin registers mail-guard first, so erin maintains the family: only erin (or governance) adds versions.
  for (const [version, parent] of [
    ['v1', zero],
    ['v2', models.v1],
  ] as const) {
    await chain.confirm(
      chain.wallet(key(erin)).writeContract({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: [
          'mail-guard',
          version,
          models[version],
          `https://models.charter.example/mail-guard-${version}`,
          parent,
        ],
      }),
    );
  }

  const rule = (
    suite: keyof typeof suites,
    metric: string,
    comparator: 0 | 1,
    threshold: string,
  ) => ({
    suiteId: suites[suite].id,
    metricId: name32(metric),
    comparator,
    threshold: wad(threshold),
  });
  const month = 30 * 24 * 60 * 60;
  await chain.govern(
    key(deployer),
    [key(deployer), key(alice)],
    [
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        name32('mail-safety'),
        [
          rule('spamDetection', 'f1', 0, '0.9'),
          rule('overBlocking', 'false_positive_rate', 1, '0.15'),
        ],
        2,
        month,
        'https://charter.example/policies/mail-safety-v1',
      ]),
      // Approvals of mail-guard are checked against mail-safety, whatever a proposal names.
      action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', [
        'mail-guard',
        name32('mail-safety'),
      ]),
    ],
    '# Adopt the mail-safety policy for mail-guard\n\nA mail filter must catch spam (f1 ≥ 0.90) without blocking real mail (false positive rate ≤ 0.15), by two evaluators. It governs the mail-guard family.',
  );
  await chain.govern(
    key(deployer),
    [key(deployer), key(alice)],
    [
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        name32('mail-safety'),
        [
          rule('spamDetection', 'f1', 0, '0.9'),
          rule('overBlocking', 'false_positive_rate', 1, '0.15'),
          rule('robustness', 'recall', 0, '0.85'),
        ],
        2,
        month,
        'https://charter.example/policies/mail-safety-v2',
      ]),
    ],
    '# mail-safety v2: require robustness to obfuscation\n\nAdds a rule: recall ≥ 0.85 on obfuscated spam.',
  );

  // An earlier run of v2 by the first evaluator, superseded two days later: history for the charts.
  await submit(
    chain,
    evaluators[0]!.index,
    'v2',
    'spamDetection',
    'northside v2 spam-detection, first run',
  );
  await chain.advanceTime(2 * 24 * 60 * 60);
  for (const e of evaluators) {
    for (const suite of Object.keys(suites) as (keyof typeof suites)[]) {
      await submit(chain, e.index, 'v1', suite);
      await submit(chain, e.index, 'v2', suite);
    }
    await chain.advanceTime(6 * 60 * 60);
  }
  // Results count only once their challenge window has passed.
  await chain.passChallengeWindow();

  // Revoke v1: voting open, with votes and reasons.
  const revoke = [
    action(modelRegistry, modelRegistryAbi, 'revoke', [
      models.v1,
      'Misses 43% of spam; never approved',
    ]),
  ];
  const revokeId = await chain.propose(key(carol), revoke, revokeDescription);
  await chain.openVoting(revokeId);
  await chain.vote(
    key(carol),
    revokeId,
    1,
    'v1 fails every rule of mail-safety; nobody should ship it.',
  );
  await chain.vote(
    key(deployer),
    revokeId,
    2,
    'Abstaining: the foundation stays out of model calls.',
  );

  // Approve v2: pending, for the tests' user to vote on; pinned to the chain as it stands now.
  const approve = [await approvalAction(chain, models.v2)];
  const approveId = await chain.propose(key(alice), approve, approveDescription);
  const xssId = await chain.propose(
    key(carol),
    [action(modelRegistry, modelRegistryAbi, 'deprecate', [models.v2])],
    xssDescription,
  );

  return {
    proposals: {
      approve: approveId.toString(),
      revoke: revokeId.toString(),
      xss: xssId.toString(),
    },
    models,
    user: dave,
    guardian,
  };
}
