import {
  action,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from '@charter/contracts';
import {
  parseWad,
  samplesTree,
  shortNameToBytes32,
  type SampleOutcome,
} from '@charter/contracts/protocol';
import { keccak256, toHex, type Hex } from 'viem';

import { testEvidenceGame, type TestChain } from './testChain';

export const suiteId = keccak256(toHex('spam-suite-v1'));
export const policyId = shortNameToBytes32('mail-safety');
export const modelDigest = (version: string) => keccak256(toHex(`mail-guard ${version}`));
const metric = shortNameToBytes32;

/**
 * Account 1 registers mail-guard v1 and v2; governance (account 0) registers a suite, admits evaluators 4
 * and 5 (who bond), and makes "mail-safety" (f1 ≥ 0.9, fpr ≤ 0.05, two evaluators) mail-guard's policy.
 */
export async function setUpEvidence(test: TestChain): Promise<void> {
  const { chain, deployment, keys } = test;
  const { evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;
  for (const version of ['v1', 'v2']) {
    await chain.send(keys[1]!, {
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: [
        'mail-guard',
        version,
        modelDigest(version),
        `ipfs://mail-guard/${version}`,
        version === 'v2' ? modelDigest('v1') : `0x${'0'.repeat(64)}`,
      ],
    });
  }
  await chain.govern(
    keys[0]!,
    [keys[0]!],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        keccak256(toHex('dataset')),
        [metric('f1'), metric('fpr')],
        'ipfs://suites/spam-suite-v1.json',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        test.address(4),
        'Lab Four',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        test.address(5),
        'Lab Five',
      ]),
    ],
    'Set up the evidence registry',
  );
  for (const evaluator of [4, 5]) await chain.bond(keys[evaluator]!);
  const rules = [
    { suiteId, metricId: metric('f1'), comparator: 0, threshold: parseWad('0.9') },
    { suiteId, metricId: metric('fpr'), comparator: 1, threshold: parseWad('0.05') },
  ] as const;
  await chain.govern(
    keys[0]!,
    [keys[0]!],
    [
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        policyId,
        rules,
        2,
        86_400,
        'ipfs://policy',
      ]),
      action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', ['mail-guard', policyId]),
    ],
    'Adopt mail-safety',
  );
}

const samples = (tag: string): [SampleOutcome, SampleOutcome] => [
  { id: `mail-1-${tag}`, label: 1n, prediction: 1n, score: 10n ** 18n },
  { id: `mail-2-${tag}`, label: 0n, prediction: 0n, score: 10n ** 18n },
];

/** Evaluator `evaluatorIndex` posts f1 and fpr for `model`, its report named `report`. */
export async function submitResult(
  test: TestChain,
  evaluatorIndex: number,
  model: Hex,
  f1: string,
  fpr: string,
  report = `${evaluatorIndex}-${f1}-${fpr}`,
): Promise<void> {
  await test.chain.send(test.keys[evaluatorIndex]!, {
    address: test.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'submitResult',
    args: [
      {
        modelId: model,
        suiteId,
        metricIds: [metric('f1'), metric('fpr')],
        values: [parseWad(f1), parseWad(fpr)],
        reportDigest: keccak256(toHex(report)),
        samplesRoot: samplesTree(samples(report)).root,
        uri: `ipfs://reports/${report}`,
      },
    ],
  });
}

/** Account `disputerIndex` disputes the first sample of evaluator `evaluatorIndex`'s `report` for `model`. */
export async function disputeResult(
  test: TestChain,
  disputerIndex: number,
  evaluatorIndex: number,
  model: Hex,
  report: string,
): Promise<void> {
  const outcomes = samples(report);
  await test.chain.send(test.keys[disputerIndex]!, {
    address: test.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'dispute',
    args: [
      model,
      suiteId,
      test.address(evaluatorIndex),
      keccak256(toHex(report)),
      outcomes[0],
      samplesTree(outcomes).proof(outcomes[0].id),
      {
        prediction: 0n,
        score: 0n,
        reportDigest: keccak256(toHex(`counter-report ${report}`)),
        uri: `ipfs://reports/counter-${report}`,
      },
    ],
    value: testEvidenceGame.disputeBond,
  });
}
