import {
  action,
  anvilPrivateKey,
  charterGovernorAbi,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  startAnvil,
  type Anvil,
  type Deployment,
} from '@charter/contracts';
import { devAccountNames, type DevAccountName } from '@charter/contracts/dev-accounts';
import {
  parseWad,
  proposalStates,
  resultId,
  samplesTree,
  shortNameToBytes32,
  type SampleOutcome,
} from '@charter/contracts/protocol';
import { keccak256, parseEther, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { startIndexer, type Indexer } from '../startIndexer';
import type { TestDatabase } from './testDatabase';

/** Governance timings short enough for tests: a minute's delay, ten minutes of voting. */
export const testGovernance = {
  votingDelay: 60,
  votingPeriod: 600,
  lateQuorumVoteExtension: 300,
  timelockDelay: 60,
};

/**
 * The evidence game for tests: results count two minutes after they are posted, a bond of 1 ETH, disputes
 * of 0.1 ETH, an hour for the resolver (the security council) before a dispute lapses, 40% to disputers.
 */
export const testEvidenceGame = {
  challengePeriod: 120,
  minBond: parseEther('1'),
  disputeBond: parseEther('0.1'),
  unbondingDelay: 600,
  resolutionTimeout: 3600,
  disputerShareBps: 4000,
};

export interface TestChain {
  anvil: Anvil;
  deployment: Deployment;
  chain: DevChain;
  /**
   * anvil's accounts, in `devAccountNames` order: 0 deploys and holds most tokens; 1–3 (alice, bob, carol)
   * hold 10k, 20k, 50k, delegated to themselves; 4–5 are evaluators; 1 registers (maintains) mail-guard;
   * `guardianIndex` is the proposal guardian and the dispute resolver (the security council); `relayer`
   * and `stranger` hold no tokens.
   */
  keys: Hex[];
  /** The key of a dev account, by name. */
  key: (name: DevAccountName) => Hex;
  /** The lowercase address of a dev account, by index or name. */
  address: (account: number | DevAccountName) => Hex;
  /** Sends a raw JSON-RPC request to anvil (evm_snapshot, evm_revert, evm_mine, evm_setAutomine...). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** The proposal guardian's account: the demo's security council. */
export const guardianIndex = devAccountNames.indexOf('security council');

/** anvil, the deployed contracts, and token holders who delegated to themselves. */
export async function startTestChain(options: { anvilArgs?: string[] } = {}): Promise<TestChain> {
  const anvil = await startAnvil({ args: options.anvilArgs });
  const keys = devAccountNames.map((_, i) => anvilPrivateKey(i));
  const council = privateKeyToAccount(keys[guardianIndex]!).address;
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: keys[0]!,
    config: {
      ...testGovernance,
      proposalGuardian: council,
      evidenceGame: testEvidenceGame,
      resolver: council,
    },
    // A dev chain's guardian is one of anvil's keys by design: no need to warn about it.
    warn: () => {},
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  const amounts = ['10000', '20000', '50000'];
  for (const [i, amount] of amounts.entries()) {
    await chain.fund(keys[0]!, keys[i + 1]!, parseEther(amount));
  }
  await chain.fund(keys[0]!, keys[0]!, 0n);
  const key = (name: DevAccountName) => keys[devAccountNames.indexOf(name)]!;
  const request = chain.public.request as (request: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  return {
    anvil,
    deployment,
    chain,
    keys,
    key,
    address: (account) =>
      privateKeyToAccount(
        typeof account === 'number' ? keys[account]! : key(account),
      ).address.toLowerCase() as Hex,
    rpc: (method, params = []) => request({ method, params }),
    stop: () => anvil.stop(),
  };
}

export const metric = shortNameToBytes32;
export const suiteId = keccak256(toHex('spam-suite-v1'));
export const policyId = shortNameToBytes32('mail-safety');
export const modelDigest = (version: string) => keccak256(toHex(`mail-guard ${version}`));
const fixed = parseWad;

/**
 * Account 1 registers mail-guard v1 and v2 (and so maintains the family). Governance sets up the
 * evidence: a suite (f1, fpr), evaluators 4 and 5 (who then bond the minimum), and the policy
 * "mail-safety" (f1 ≥ 0.9 and fpr ≤ 0.05 from two evaluators, at most a day old), which it makes
 * mail-guard's policy.
 */
export async function setUpEvidence(test: TestChain): Promise<void> {
  const { chain, deployment, keys } = test;
  const { evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;
  for (const version of ['v1', 'v2']) {
    await chain.confirm(
      chain.wallet(keys[1]!).writeContract({
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
      }),
    );
  }
  const actions = [
    action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
      suiteId,
      keccak256(toHex('dataset')),
      [metric('f1'), metric('fpr')],
      'ipfs://suites/spam-suite-v1.json',
    ]),
    action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [test.address(4), 'Lab Four']),
    action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [test.address(5), 'Lab Five']),
  ];
  await chain.govern(keys[0]!, [keys[0]!], actions, 'Set up the evidence registry');
  for (const evaluator of [4, 5]) await chain.bond(keys[evaluator]!);
  const rules = [
    { suiteId, metricId: metric('f1'), comparator: 0, threshold: fixed('0.9') },
    { suiteId, metricId: metric('fpr'), comparator: 1, threshold: fixed('0.05') },
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
    '# Adopt mail-safety\n\nTwo evaluators, f1 and fpr; it governs mail-guard.',
  );
}

/** Two samples an evaluator reports: `mail-1` (spam, flagged) and `mail-2` (ham, not flagged). */
export const testSamples = (tag: string): [SampleOutcome, SampleOutcome] => [
  { id: `mail-1-${tag}`, label: 1n, prediction: 1n, score: 10n ** 18n },
  { id: `mail-2-${tag}`, label: 0n, prediction: 0n, score: 10n ** 18n },
];

/**
 * Evaluator `key` posts f1 and fpr for a model of the suite. The report's samples root commits to
 * `testSamples(report)`, so that a dispute can prove one of them.
 */
export async function submitResult(
  test: TestChain,
  evaluatorIndex: number,
  model: Hex,
  f1: string,
  fpr: string,
  report = `${evaluatorIndex}-${f1}-${fpr}`,
): Promise<Hex> {
  const { chain, deployment, keys } = test;
  await chain.confirm(
    chain.wallet(keys[evaluatorIndex]!).writeContract({
      address: deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [
        {
          modelId: model,
          suiteId,
          metricIds: [metric('f1'), metric('fpr')],
          values: [fixed(f1), fixed(fpr)],
          reportDigest: keccak256(toHex(report)),
          samplesRoot: samplesTree(testSamples(report)).root,
          uri: `ipfs://reports/${report}`,
        },
      ],
    }),
  );
  return keccak256(toHex(report));
}

/**
 * Account `disputerIndex` disputes evaluator `evaluatorIndex`'s result for `model` (posted with `report`),
 * naming sample `sample` of `testSamples(report)` and claiming prediction `claimed` (score 0) in its own
 * report; it posts the game's dispute bond. Returns the registry's result id.
 */
export async function disputeResult(
  test: TestChain,
  disputerIndex: number,
  evaluatorIndex: number,
  model: Hex,
  report: string,
  sample: 0 | 1 = 0,
  claimed = 0n,
): Promise<Hex> {
  const { chain, deployment, keys } = test;
  const samples = testSamples(report);
  const evaluator = test.address(evaluatorIndex);
  await chain.send(keys[disputerIndex]!, {
    address: deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'dispute',
    args: [
      model,
      suiteId,
      evaluator,
      keccak256(toHex(report)),
      samples[sample],
      samplesTree(samples).proof(samples[sample].id),
      {
        prediction: claimed,
        score: 0n,
        reportDigest: keccak256(toHex(`counter-report ${disputerIndex} ${report}`)),
        uri: `ipfs://reports/counter-${disputerIndex}-${report}`,
      },
    ],
    value: testEvidenceGame.disputeBond,
  });
  return resultId(model, suiteId, evaluator);
}

/** The governor's own `state()` of a proposal at a block. */
let proposals = 0;

/** A proposal (registering a model version: harmless if it ever ran), moved on until voting is open. */
export async function activeProposal(test: TestChain): Promise<bigint> {
  const label = `test-proposal-${++proposals}-${Date.now()}`;
  const id = await test.chain.propose(
    test.keys[0]!,
    [
      action(test.deployment.contracts.modelRegistry, modelRegistryAbi, 'register', [
        'test-proposals',
        label,
        keccak256(toHex(label)),
        `ipfs://${label}`,
        `0x${'0'.repeat(64)}`,
      ]),
    ],
    `# ${label}`,
  );
  await test.chain.openVoting(id);
  return id;
}

export async function governorState(test: TestChain, proposalId: bigint, blockNumber: bigint) {
  const state = await test.chain.public.readContract({
    address: test.deployment.contracts.governor,
    abi: charterGovernorAbi,
    functionName: 'state',
    args: [proposalId],
    blockNumber,
  });
  return proposalStates[state]!;
}

/** Waits until the indexer has indexed the chain's current head (same block, same hash). */
export async function waitForHead(
  test: TestChain,
  indexerStatus: { indexedBlock: number; indexedHash: string },
  timeoutMs = 20_000,
): Promise<bigint> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { number: head, hash } = await test.chain.public.getBlock();
    if (indexerStatus.indexedBlock === Number(head) && indexerStatus.indexedHash === hash)
      return head;
    if (Date.now() > deadline) {
      throw new Error(`indexer at block ${indexerStatus.indexedBlock}, chain at ${head}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An indexer following the test chain into `database`: any free port, polling every 20 ms, silent. `options`
 * adds or overrides (a finality depth a reorg can reach, a shorter heartbeat).
 */
export function followTestChain(
  test: TestChain,
  database: TestDatabase,
  options: Partial<Parameters<typeof startIndexer>[0]> = {},
): Promise<Indexer> {
  return startIndexer({
    rpcUrl: test.anvil.rpcUrl,
    deployment: test.deployment,
    ...database.options,
    port: 0,
    pollingInterval: 20,
    logLevel: 'silent',
    ...options,
  });
}
